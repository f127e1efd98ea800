using System.Globalization;
using Skd.Distillation.Parts;

namespace Skd.Distillation;

/// <summary>
/// The options of <c>acw-skd</c> (<see cref="AcwSkdMethod"/>), parsed and checked before anything
/// is allocated: unknown values, out-of-range numbers and impossible combinations fail here.
/// </summary>
public sealed record AcwSkdSettings(
    bool AuxiliaryHead,
    bool AuxiliaryOnPenultimate,
    bool FeatureReconstruction,
    bool OwnFrmHead,
    bool ClassWise,
    bool Adversarial,
    bool PerImageTemperature,
    double FixedTemperature,
    double TauMin,
    double TauRange,
    CosineRamp ReversalStrength,
    double KdWeight,
    double CwWeight,
    double RelationWeight,
    double ReconstructionWeight)
{
    public static IReadOnlyList<MethodOption> Options { get; } =
    [
        new("aux-head", "on", "auxiliary head whose softmax masks the class-wise features (off: the mask is sg(softmax(Z)))"),
        new("aux-stage", "previous", "features of the auxiliary head: previous (the decoder stage before F, needs depth >= 2) or penultimate (F)"),
        new("frm", "on", "feature reconstruction modules building the self-teacher (off: the auxiliary head teaches, needs aux-head=on)"),
        new("frm-head", "shared", "head of the self-teacher: shared (the student's 1x1 head) or own"),
        new("class-wise", "on", "class-wise prototype distillation and the inter-class relation term"),
        new("adversarial", "on", "learnable temperature behind gradient reversal (off: fixed-temperature)"),
        new("temperature", "global", "temperature module: global (one learnable scalar) or per-image (a conv module on [Z_t, Z])"),
        new("fixed-temperature", "4", "KD temperature when adversarial=off"),
        new("tau-min", "1", "lowest learnable temperature: tau = tau-min + tau-range * sigmoid(theta)"),
        new("tau-range", "20", "span of the learnable temperature"),
        new("lambda-max", "1", "final gradient-reversal strength"),
        new("lambda-epochs", "10", "epochs over which the reversal strength rises from 0 to lambda-max (cosine)"),
        new("kd-weight", "1", "weight of the pixel KD term"),
        new("cw-weight", "1", "weight of the class-wise terms (class-wise distillation and relation)"),
        new("relation-weight", "1", "weight of the inter-class relation term inside the class-wise terms"),
        new("reconstruction-weight", "1", "weight of the prototype FRM's reconstruction term"),
    ];

    public static AcwSkdSettings From(MethodContext context)
    {
        var o = context.Options;
        var settings = new AcwSkdSettings(
            AuxiliaryHead: o.Bool("aux-head"),
            AuxiliaryOnPenultimate: o.Choice("aux-stage", "previous", "penultimate") == "penultimate",
            FeatureReconstruction: o.Bool("frm"),
            OwnFrmHead: o.Choice("frm-head", "shared", "own") == "own",
            ClassWise: o.Bool("class-wise"),
            Adversarial: o.Bool("adversarial"),
            PerImageTemperature: o.Choice("temperature", "global", "per-image") == "per-image",
            FixedTemperature: Checked(o, "fixed-temperature", positive: true),
            TauMin: Checked(o, "tau-min", positive: true),
            TauRange: Checked(o, "tau-range"),
            ReversalStrength: new CosineRamp(Checked(o, "lambda-max"), Checked(o, "lambda-epochs")),
            KdWeight: Checked(o, "kd-weight"),
            CwWeight: Checked(o, "cw-weight"),
            RelationWeight: Checked(o, "relation-weight"),
            ReconstructionWeight: Checked(o, "reconstruction-weight"));
        if (!settings.AuxiliaryHead && !settings.FeatureReconstruction)
            throw new MethodRequirementException("method 'acw-skd' needs a self-teacher: with frm=off the auxiliary head teaches, so aux-head=off and frm=off cannot go together");
        if (settings.AuxiliaryHead && !settings.AuxiliaryOnPenultimate && context.Student.Depth < 2)
            throw new MethodRequirementException($"method 'acw-skd': aux-stage=previous needs a decoder stage before the penultimate one (depth >= 2), the student has depth {context.Student.Depth}; use aux-stage=penultimate");
        return settings;
    }

    private static double Checked(MethodOptions options, string name, bool positive = false)
    {
        double value = options.Double(name);
        if (positive ? value > 0 : value >= 0) return value;
        throw new ArgumentException($"method 'acw-skd': option {name}={value.ToString(CultureInfo.InvariantCulture)} must be {(positive ? "positive" : "zero or more")}");
    }
}
