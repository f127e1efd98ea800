namespace Skd.Distillation;

/// <summary>
/// <c>byot</c>: Be Your Own Teacher (Zhang et al., ICCV 2019; methods.md §3) on the U-Net's decoder:
/// shallow heads on the stages coarser than the last learn from the deepest (main) head:
/// <code>
/// L = L_seg(Z, y) + (1 − α)·Σ_i CE(q_i, y) + α·τ²·Σ_i KL(sg(q_deep) ‖ q_i) + β·Σ_i ‖F_i − sg(F_deep)‖²
/// </code>
/// α = 0.1, τ = 3, β = 1e-6 (see <see cref="ByotLoss"/>). q_i: the 1×1 head of decoder stage up{i}
/// (i = 1..d−1) to the K classes, upsampled to H×W; q_deep: the main output Z; F_deep: the penultimate
/// features; F_i: stage i's features through a 1×1 conv adapter to the penultimate's channel count, then
/// upsampled bilinearly to H×W (BYOT's bottleneck adapters, here the lightest that makes them
/// comparable [ours]). L_seg = 0.5·CE + 0.5·Dice on the main output. Needs a U-Net of depth ≥ 2.
/// </summary>
public sealed class ByotMethod : SegmentationMethod
{
    public static readonly MethodInfo Info = new("byot", "Be Your Own Teacher: shallow decoder heads learn from the labels, the main head's outputs and its features.",
        [
            new("alpha", "0.1", "α: weight of distillation against (1 − α) for the labels in the shallow heads' loss"),
            new("temperature", "3", "τ of the distillation from the main head"),
            new("feature-weight", "1e-6", "β: weight of the squared feature distance to the penultimate features"),
            new("head-kernel", "1", "kernel size of the shallow heads' convolution"),
        ], NeedsTeacher: false, c => new ByotMethod(c));

    private readonly double alpha, temperature, featureWeight;
    private readonly SegmentationLoss segmentation = new();
    private readonly SideHeads shallowHeads, adapters;

    private ByotMethod(MethodContext context) : base(context)
    {
        int stages = SideHeads.CoarserStages(context);
        alpha = context.Options.Double("alpha");
        temperature = context.Options.Double("temperature");
        featureWeight = context.Options.Double("feature-weight");
        shallowHeads = RegisterModule("shallow_heads", new SideHeads(context.Student, stages, context.Classes, context.Options.Int("head-kernel")));
        adapters = RegisterModule("adapters", new SideHeads(context.Student, stages, context.Student.Width, 1));
    }

    public override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var output = Student.Forward(images);
        var terms = ByotLoss.Compute(shallowHeads.Forward(output), adapters.Forward(output), output.Logits, output.Penultimate, labels, temperature);
        return new MethodLoss().Watch(output)
            .Add("seg", segmentation.Compute(output.Logits, labels))
            .Add("ce", terms.CrossEntropy, 1 - alpha)
            .Add("kd", terms.Distillation, alpha)
            .Add("feature", terms.Feature, featureWeight);
    }

    protected override IReadOnlyList<ProfileRow> TrainingOnlyRows(CostWalk walk, UNetTrace student) =>
        [.. shallowHeads.Rows("shallow head", walk, student), .. adapters.Rows("feature adapter", walk, student)];
}
