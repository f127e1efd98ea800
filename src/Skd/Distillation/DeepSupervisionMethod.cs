namespace Skd.Distillation;

/// <summary>
/// <c>deep-supervision</c> (Lee et al., AISTATS 2015, "deeply-supervised nets"; methods.md §3): the
/// segmentation loss on every decoder stage's upsampled output:
/// <code>
/// L = Σ_{i=1}^{d−1} w_i·L_seg(up(conv(X_i)), y) + w_d·L_seg(Z, y),   L_seg = w_ce·CE + w_dice·Dice
/// </code>
/// X_i are the decoder stages coarser than the last (up1..up{d−1}), each with its own 1×1 head to the K
/// classes, bilinearly upsampled to H×W; the last stage's output is the main output Z (its head is the
/// U-Net's own). Stage weights are equal (all 1) by default, or given, coarsest first and the main output
/// last; L_seg is 0.5·CE + 0.5·Dice as <c>supervised</c>. [ours: the head's kernel and the weights are options]
/// Needs a U-Net of depth ≥ 2 (a coarser stage to supervise).
/// </summary>
public sealed class DeepSupervisionMethod : SegmentationMethod
{
    public static readonly MethodInfo Info = new("deep-supervision", "The segmentation loss on every decoder stage's upsampled output and the main output.",
        [
            new("stage-weights", "equal", "equal (all 1), or one weight per decoder stage coarsest first, the main output last (depth values, comma-separated)"),
            .. SupervisedMethod.LossWeightOptions(
                "weight of cross-entropy in each stage's segmentation loss", "weight of Dice in each stage's segmentation loss"),
            new("head-kernel", "1", "kernel size of the side heads' convolution"),
        ], NeedsTeacher: false, c => new DeepSupervisionMethod(c));

    private readonly IReadOnlyList<double> stageWeights;
    private readonly SegmentationLoss segmentation;
    private readonly SideHeads sideHeads;

    private DeepSupervisionMethod(MethodContext context) : base(context)
    {
        int stages = SideHeads.CoarserStages(context);
        stageWeights = ParseStageWeights(context.Options, stages + 1);
        segmentation = new SegmentationLoss(context.Options.Double("ce-weight"), context.Options.Double("dice-weight"));
        sideHeads = RegisterModule("side_heads", new SideHeads(context.Student, stages, context.Classes, context.Options.Int("head-kernel")));
    }

    private static IReadOnlyList<double> ParseStageWeights(MethodOptions options, int depth)
    {
        string text = options.String("stage-weights");
        if (text.Equals("equal", StringComparison.OrdinalIgnoreCase)) return Enumerable.Repeat(1.0, depth).ToList();
        var weights = text.Split(',').Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToList();
        if (weights.Count != depth || weights.Any(double.IsNaN))
            throw new ArgumentException($"method 'deep-supervision': option stage-weights={text} is not valid: expected 'equal' or {depth} comma-separated numbers (up1..up{depth - 1}, then the main output)");
        return weights;
    }

    public override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var output = Student.Forward(images);
        var sides = sideHeads.Forward(output);
        var loss = new MethodLoss().Watch(output);
        for (int i = 0; i < sides.Count; i++)
            loss.Add($"seg-up{i + 1}", segmentation.Compute(sides[i], labels), stageWeights[i]);
        return loss.Add("seg", segmentation.Compute(output.Logits, labels), stageWeights[^1]);
    }

    protected override IReadOnlyList<ProfileRow> TrainingOnlyRows(CostWalk walk, UNetTrace student) => sideHeads.Rows("side head", walk, student);
}
