using Skd.Distillation.Parts;
using Skd.Losses;
using Skd.Models;
using Skd.Torch;

namespace Skd.Distillation;

/// <summary>
/// <c>acw-skd</c>: Adversarial Class-Wise Self-Knowledge Distillation (Yu, Shen, Zhang, Zheng,
/// Scientific Reports 15:13231, 2025; design of methods.md §1, [ours] where the abstract is silent).
/// <code>
/// Z = head(F)                      student logits, F = penultimate decoder features
/// Z_aux = AuxHead(F_prev)↑         auxiliary head on the stage before F (or on F), upsampled
/// F̂ = FRM(F), Z_t = head(F̂)        self-teacher (head shared with the student, or its own)
/// M = sg(softmax(Z_aux))           class mask
/// f = proto(F, M)                  student prototypes (B×K×C)
/// f̂ = PFRM(proto(sg F̂, M))         target prototypes (prototype FRM)
/// τ = τ_min + τ_range·σ(GRL_λ(θ))   θ global or per image from [sg Z_t, sg Z]
/// L = L_seg(Z) + L_seg(Z_aux) + L_seg(Z_t) + λ_kd·KD_τ(Z, sg Z_t)
///     + λ_cw·(CW(f, sg f̂) + λ_rel·Rel(f, sg f̂)) + λ_rec·CW(f̂, sg proto(sg F̂, onehot y))
/// </code>
/// L_seg = 0.5·CE + 0.5·Dice (<see cref="SegmentationLoss"/>); KD_τ = <see cref="PixelKdLoss"/>; CW =
/// <see cref="ClassWiseDistillationLoss"/>; Rel = <see cref="InterClassRelationLoss"/>; proto =
/// <see cref="ClassPrototypes"/>. Loss terms: <c>seg, aux, self_teacher, kd, cw, relation, reconstruction</c>.
/// <para>[ours] choices, documented where the doc is silent:</para>
/// <list type="bullet">
/// <item>The mask is detached: the auxiliary head learns from its segmentation loss only, so the
/// class-wise terms cannot shrink the mask to where prototypes agree.</item>
/// <item>The prototype FRM's output is only ever a detached target, so as written it would never
/// train. The <c>reconstruction</c> term gives it an objective: from the mask-weighted prototypes
/// of F̂ it reconstructs the prototypes of F̂ under the true label (both inputs detached, so the
/// term trains the prototype FRM alone). <c>reconstruction-weight=0</c> gives the doc's letter.</item>
/// <item>Gradient: the student learns from every term but <c>reconstruction</c>; the FRM and the
/// self-teacher's head from <c>self_teacher</c> only (Z_t and f̂ are detached targets); the auxiliary head
/// from <c>aux</c> only; the temperature from <c>kd</c> only, reversed.</item>
/// <item>The temperature module sees detached logits: the reversed gradient reaches θ's parameters
/// only, never the student.</item>
/// <item>λ follows <see cref="CosineRamp"/> over the fractional epoch (step.Progress·epochs), so it
/// rises within epochs rather than in steps.</item>
/// <item>Ablations: <c>aux-head=off</c> drops the auxiliary head and its term, the mask becomes
/// sg(softmax(Z)). <c>frm=off</c> drops both FRMs (and an own head): there is no Z_t, the
/// auxiliary head is the KD teacher (KD_τ(Z, sg Z_aux)), and the class-wise target is
/// proto(sg F, onehot y), the student's own features under the true label; it therefore needs the
/// auxiliary head. <c>class-wise=off</c> drops the class-wise terms and the prototype FRM.
/// <c>adversarial=off</c> drops the temperature module: τ = <c>fixed-temperature</c>.</item>
/// </list>
/// </summary>
public sealed class AcwSkdMethod : SegmentationMethod
{
    public static readonly MethodInfo Info = new("acw-skd",
        "ACW-SKD: auxiliary-head class masks, a feature-reconstruction self-teacher, class-wise and relation distillation, adversarial temperature.",
        AcwSkdSettings.Options, NeedsTeacher: false, c => new AcwSkdMethod(c, AcwSkdSettings.From(c)));

    private readonly SegmentationLoss segmentation = new();
    private readonly AuxiliaryHead? auxiliaryHead;
    private readonly FeatureReconstruction? featureReconstruction;
    private readonly OutConv? ownHead;
    private readonly PrototypeReconstruction? prototypeReconstruction;
    private readonly TemperatureModule? temperature;
    private Tensor? lastTemperature;

    /// <summary>The options this instance runs with.</summary>
    public AcwSkdSettings Settings { get; }

    private AcwSkdMethod(MethodContext context, AcwSkdSettings settings) : base(context)
    {
        Settings = settings;
        var student = context.Student;
        if (settings.AuxiliaryHead)
            auxiliaryHead = RegisterModule("aux_head", new AuxiliaryHead(settings.AuxiliaryOnPenultimate ? student.Width : student.Channels(1), student.Classes));
        if (settings.FeatureReconstruction)
        {
            featureReconstruction = RegisterModule("frm", new FeatureReconstruction(student.Width));
            if (settings.OwnFrmHead) ownHead = RegisterModule("frm_head", new OutConv(student.Width, student.Classes));
            if (settings.ClassWise) prototypeReconstruction = RegisterModule("prototype_frm", new PrototypeReconstruction(student.Width));
        }
        if (settings.Adversarial)
            temperature = RegisterModule<TemperatureModule>("temperature", settings.PerImageTemperature
                ? new PerImageTemperature(student.Classes, settings.TauMin, settings.TauRange)
                : new GlobalTemperature(settings.TauMin, settings.TauRange));
    }

    /// <summary>
    /// τ of the last batch (the mean over its images for a per-image τ), for logs: the fixed τ when
    /// adversarial=off, NaN before the first batch. Not a loss term, so the terms still sum to the total.
    /// </summary>
    public double CurrentTemperature
    {
        get
        {
            if (temperature is null) return Settings.FixedTemperature;
            if (lastTemperature is null) return double.NaN;
            using var mean = lastTemperature.Mean();
            return mean.Item();
        }
    }

    /// <summary>λ of the gradient reversal at <paramref name="step"/>.</summary>
    public double ReversalStrength(TrainingStep step) => Settings.ReversalStrength.At(step);

    public override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var terms = Terms(images, labels, step);
        lastTemperature?.Dispose();
        lastTemperature = DisposeScope.Detach(terms.Temperature.Detach());
        var loss = new MethodLoss().Add("seg", terms.Segmentation);
        if (terms.Auxiliary is not null) loss.Add("aux", terms.Auxiliary);
        if (terms.SelfTeacher is not null) loss.Add("self_teacher", terms.SelfTeacher);
        loss.Add("kd", terms.Kd, Settings.KdWeight);
        if (terms.ClassWise is not null) loss.Add("cw", terms.ClassWise, Settings.CwWeight);
        if (terms.Relation is not null) loss.Add("relation", terms.Relation, Settings.CwWeight * Settings.RelationWeight);
        if (terms.Reconstruction is not null) loss.Add("reconstruction", terms.Reconstruction, Settings.ReconstructionWeight);
        return loss;
    }

    /// <summary>The unweighted terms of a batch (images B×C×H×W, labels B×H×W int64), each with its graph.</summary>
    public AcwSkdTerms Terms(Tensor images, Tensor labels, TrainingStep step)
    {
        using var scope = new DisposeScope();
        long classes = Context.Classes;
        var output = Student.Forward(images);
        var logits = output.Logits;
        var features = output.Penultimate;
        var seg = segmentation.Compute(logits, labels);

        var auxiliaryLogits = auxiliaryHead?.Forward((Settings.AuxiliaryOnPenultimate ? features : output.DecoderFeatures[^2], (images.Size(2), images.Size(3))));
        var aux = auxiliaryLogits is null ? null : segmentation.Compute(auxiliaryLogits, labels);

        var reconstructed = featureReconstruction?.Forward(features);
        var selfTeacherLogits = reconstructed is null ? null : (ownHead ?? Student.Head).Forward(reconstructed);
        var selfTeacher = selfTeacherLogits is null ? null : segmentation.Compute(selfTeacherLogits, labels);

        var teacher = (selfTeacherLogits ?? auxiliaryLogits!).Detach();
        var tau = temperature is null
            ? torch.Full([], Settings.FixedTemperature, logits.DType, logits.Device)
            : temperature.Temperature(teacher, logits.Detach(), Settings.ReversalStrength.At(step));
        var kd = PixelKdLoss.Compute(logits, teacher, tau);

        Tensor? cw = null, relation = null, reconstruction = null;
        if (Settings.ClassWise)
        {
            var mask = (auxiliaryLogits ?? logits).Detach().Softmax(1);
            var present = ClassPrototypes.Present(labels, classes, logits.DType);
            var labelMask = ClassPrototypes.LabelMask(labels, classes, logits.DType);
            var prototypes = ClassPrototypes.Compute(features, mask);
            Tensor target;
            if (reconstructed is not null && prototypeReconstruction is not null)
            {
                var teacherFeatures = reconstructed.Detach();
                target = prototypeReconstruction.Forward(ClassPrototypes.Compute(teacherFeatures, mask));
                reconstruction = ClassWiseDistillationLoss.Compute(target, ClassPrototypes.Compute(teacherFeatures, labelMask), present);
            }
            else target = ClassPrototypes.Compute(features.Detach(), labelMask);
            cw = ClassWiseDistillationLoss.Compute(prototypes, target, present);
            relation = InterClassRelationLoss.Compute(prototypes, target, present);
        }

        return new AcwSkdTerms(Keep(seg)!, Keep(aux), Keep(selfTeacher), Keep(kd)!, Keep(cw), Keep(relation), Keep(reconstruction), Keep(tau)!);

        Tensor? Keep(Tensor? t) => t is null ? null : scope.MoveToOuter(t);
    }

    public override IEnumerable<ProfileRow> TrainingOnlyProfile(long size)
    {
        var student = Context.Student;
        student.CheckSize(size, size);
        if (auxiliaryHead is not null)
            yield return auxiliaryHead.Profile("aux_head", Settings.AuxiliaryOnPenultimate ? size : size / 2, size);
        if (featureReconstruction is not null)
        {
            yield return featureReconstruction.Profile("frm", size);
            // The self-teacher's head: its own parameters, or the student's shared head run a second time.
            yield return new ProfileRow("frm_head", [student.Classes, size, size],
                ownHead is null ? 0 : ModelProfile.ConvParameters(student.Width, student.Classes, 1, bias: true),
                ModelProfile.Conv2dMacs(student.Width, student.Classes, 1, size, size));
        }
        if (prototypeReconstruction is not null) yield return prototypeReconstruction.Profile("prototype_frm", student.Classes);
        if (temperature is not null) yield return temperature.Profile("temperature", student.Classes, size);
    }

    public override void Dispose()
    {
        lastTemperature?.Dispose();
        lastTemperature = null;
        base.Dispose();
    }
}
