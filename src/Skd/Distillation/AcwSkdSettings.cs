namespace Skd.Distillation;

/// <summary>Where ACW-SKD's class masks come from (methods.md §1).</summary>
public enum ClassMaskSource
{
    /// <summary>M = onehot(y), the label [ref: IFVD, EMKD region prototypes].</summary>
    Label,
    /// <summary>M = sg softmax(Z_aux), the paper's wording; only once the warm-up has trained the auxiliary head.</summary>
    Auxiliary,
}

/// <summary>The head that turns the self-teacher's features F̂ into its logits Z_t (ACW-SKD, methods.md §1).</summary>
public enum SelfTeacherHead
{
    /// <summary>Its own 1×1 conv h_t [ref: FRSKD's second classifier].</summary>
    Own,
    /// <summary>The student's 1×1 head, trained by the self-teacher's loss too.</summary>
    Shared,
    /// <summary>
    /// The student's head without its gradient plus a zero-initialised 1×1 conv of its own,
    /// Z_t = head_sg(F̂) + r(F̂) [ours]: the teacher starts as the student and follows its head.
    /// </summary>
    Residual,
}

/// <summary>
/// The options of <c>acw-skd</c> (<see cref="AcwSkdMethod"/>), parsed and checked before anything
/// is allocated: unknown values, out-of-range numbers and impossible combinations fail here.
/// </summary>
public sealed record AcwSkdSettings(
    bool AuxiliaryHead,
    bool AuxiliaryOnPenultimate,
    double AuxiliaryWeight,
    bool FeatureReconstruction,
    bool DetachFrmInput,
    int FrmWidth,
    SelfTeacherHead FrmHead,
    bool ClassWise,
    ClassMaskSource Mask,
    bool Projector,
    bool Adversarial,
    bool PerImageTemperature,
    double FixedTemperature,
    double TauMin,
    double TauRange,
    CosineRamp ReversalRamp,
    double TemperatureLr,
    DistillationSchedule Schedule,
    double KdWeight,
    double CwWeight,
    double RelationWeight,
    double FeatureWeight)
{
    /// <summary>SGD momentum and weight decay of the adversarial temperature's own group (CTKD's: SGD, momentum 0.9, weight decay 5e-4).</summary>
    public const double TemperatureMomentum = 0.9, TemperatureWeightDecay = 5e-4;

    /// <summary>The largest FRM hidden-width multiplier (frm-width).</summary>
    public const int MaxFrmWidth = 16;

    public static IReadOnlyList<MethodOption> Options { get; } =
    [
        new("aux-head", "on", "auxiliary head, a coarse segmentation supervised by the segmentation loss (its softmax is the class mask with cw-mask=aux)"),
        new("aux-stage", "previous", "features of the auxiliary head: previous (the decoder stage before F, needs depth >= 2) or penultimate (F)"),
        new("aux-weight", "0.4", "weight of the auxiliary head's segmentation loss (OCRNet's 0.4)"),
        new("frm", "on", "zero-initialised residual FRM on F building the self-teacher (off: the auxiliary head teaches, needs aux-head=on and class-wise=off)"),
        new("frm-input", "detached", "input of the FRM: detached (sg F: the self-teacher's segmentation loss trains the FRM and its head only, on their own branch; measured best, see AcwSkdMethod) or attached (F: that loss also trains the student through F)"),
        new("frm-width", "1", "hidden width of the FRM's residual block, in multiples of the student's width (training only: the FRM is not part of the deployed model)"),
        new("frm-head", "residual", "head of the self-teacher: residual (the student's head without its gradient plus a zero-initialised 1x1 conv: the teacher starts as the student and stays level with it; chosen on the real sets' validation splits, see AcwSkdMethod), own (FRSKD's second classifier) or shared (the student's 1x1 head)"),
        new("class-wise", "on", "class-wise prototype distillation and the inter-class relation term towards the self-teacher's prototypes"),
        new("cw-mask", "label", "class mask of the prototypes: label (onehot(y)) or aux (sg softmax of the auxiliary head, needs warmup > 0)"),
        new("cw-projector", "off", "FRM on the class-wise layer: a student-side projector P (two linear layers) of the student's prototypes"),
        new("adversarial", "off", "learnable temperature behind gradient reversal, in its own SGD group (off: fixed-temperature)"),
        new("temperature", "global", "temperature module when adversarial=on: global (one learnable scalar) or per-image (a conv module on [Z_t, Z])"),
        new("fixed-temperature", "1", "KD temperature when adversarial=off (FRSKD's 1; 4 is EMKD's and CTKD's)"),
        new("tau-min", "1", "lowest learnable temperature: tau = tau-min + tau-range * sigmoid(theta), theta starting at 0"),
        new("tau-range", "4", "span of the learnable temperature ([1, 5]; 20 gives CTKD's [1, 21])"),
        new("lambda-max", "1", "final gradient-reversal strength"),
        new("lambda-epochs", "10", "epochs over which the reversal strength rises from 0 to lambda-max (cosine), from the end of the warm-up"),
        new("tau-lr", "0.05", "learning rate of the temperature's SGD (momentum 0.9, weight decay 5e-4, as CTKD), scaled by the run's schedule"),
        new("warmup", "1/3", "fraction of the epochs before distillation starts (E_w = warmup * epochs; a fraction p/q or a decimal in [0, 1))"),
        new("kd-weight", "1", "final weight of the pixel KD term (ramped in after the warm-up)"),
        new("cw-weight", "0.1", "final weight of the class-wise terms, distillation and relation (ramped in after the warm-up)"),
        new("relation-weight", "1", "weight of the inter-class relation term inside the class-wise terms"),
        new("feature-weight", "0", "final weight of the pixel-wise feature distillation mean (F - sg F^)^2 towards the FRM's reconstructed features (the student's next-stage objective; ramped in after the warm-up; 0: off, measured: weight 10 cost 4.35 Dice on the screen set, see AcwSkdMethod)"),
    ];

    public static AcwSkdSettings From(MethodContext context)
    {
        var o = context.Options;
        var settings = new AcwSkdSettings(
            AuxiliaryHead: o.Bool("aux-head"),
            AuxiliaryOnPenultimate: o.Choice("aux-stage", "previous", "penultimate") == "penultimate",
            AuxiliaryWeight: Checked(o, "aux-weight"),
            FeatureReconstruction: o.Bool("frm"),
            DetachFrmInput: o.Choice("frm-input", "detached", "attached") == "detached",
            FrmWidth: o.Int("frm-width"),
            FrmHead: o.Choice("frm-head", "residual", "own", "shared") switch { "own" => SelfTeacherHead.Own, "shared" => SelfTeacherHead.Shared, _ => SelfTeacherHead.Residual },
            ClassWise: o.Bool("class-wise"),
            Mask: o.Choice("cw-mask", "label", "aux") == "aux" ? ClassMaskSource.Auxiliary : ClassMaskSource.Label,
            Projector: o.Bool("cw-projector"),
            Adversarial: o.Bool("adversarial"),
            PerImageTemperature: o.Choice("temperature", "global", "per-image") == "per-image",
            FixedTemperature: Checked(o, "fixed-temperature", positive: true),
            TauMin: Checked(o, "tau-min", positive: true),
            TauRange: Checked(o, "tau-range"),
            ReversalRamp: new CosineRamp(Checked(o, "lambda-max"), Checked(o, "lambda-epochs")),
            TemperatureLr: Checked(o, "tau-lr"),
            Schedule: new DistillationSchedule(Fraction(o, "warmup")),
            KdWeight: Checked(o, "kd-weight"),
            CwWeight: Checked(o, "cw-weight"),
            RelationWeight: Checked(o, "relation-weight"),
            FeatureWeight: Checked(o, "feature-weight"));
        if (settings.FrmWidth is < 1 or > MaxFrmWidth)
            throw new ArgumentException($"method 'acw-skd': option frm-width={settings.FrmWidth} must be a whole number from 1 to {MaxFrmWidth}");
        if (!settings.AuxiliaryHead && !settings.FeatureReconstruction)
            throw Requirement("needs a self-teacher: with frm=off the auxiliary head teaches, so aux-head=off and frm=off cannot go together");
        if (!settings.FeatureReconstruction && settings.ClassWise)
            throw Requirement("class-wise=on distils towards the self-teacher's prototypes, which frm=off removes; give class-wise=off with frm=off");
        if (settings.FeatureWeight > 0 && !settings.FeatureReconstruction)
            throw Requirement("feature-weight > 0 distils towards the FRM's reconstructed features, which frm=off removes");
        if (settings.Projector && !settings.ClassWise)
            throw Requirement("cw-projector=on projects the class-wise prototypes, which class-wise=off removes");
        if (settings.ClassWise && settings.Mask == ClassMaskSource.Auxiliary)
        {
            if (!settings.AuxiliaryHead) throw Requirement("cw-mask=aux needs the auxiliary head (aux-head=on)");
            if (settings.Schedule.WarmupFraction == 0) throw Requirement("cw-mask=aux needs a warm-up (warmup > 0) that trains the auxiliary head before its mask is used");
        }
        if (settings.AuxiliaryHead && !settings.AuxiliaryOnPenultimate && context.Student.Depth < 2)
            throw Requirement($"aux-stage=previous needs a decoder stage before the penultimate one (depth >= 2), the student has depth {context.Student.Depth}; use aux-stage=penultimate");
        return settings;
    }

    private static MethodRequirementException Requirement(string message) => new($"method 'acw-skd': {message}");

    private static double Checked(MethodOptions options, string name, bool positive = false)
    {
        double value = options.Double(name);
        if (positive ? value > 0 : value >= 0) return value;
        throw new ArgumentException($"method 'acw-skd': option {name}={value.ToString(CultureInfo.InvariantCulture)} must be {(positive ? "positive" : "zero or more")}");
    }

    /// <summary>A value in [0, 1) written as p/q or as a decimal.</summary>
    private static double Fraction(MethodOptions options, string name)
    {
        string text = options.String(name).Trim();
        int slash = text.IndexOf('/');
        double value = slash > 0 && Number(text[..slash]) is { } p && Number(text[(slash + 1)..]) is { } q && q != 0 ? p / q
            : slash < 0 && Number(text) is { } v ? v : double.NaN;
        if (value >= 0 && value < 1) return value;
        throw new ArgumentException($"method 'acw-skd': option {name}={text} must be a fraction in [0, 1) of the epochs, as 1/3 or 0.5");

        static double? Number(string s) => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }
}
