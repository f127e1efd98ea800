namespace Skd.Losses;

/// <summary>How a patch's class amounts become a distribution vector in <see cref="DeepDistributionLoss"/>.</summary>
public enum PatchDistribution
{
    /// <summary>z = (Σ_{p∈m} ỹ(p)) / s² per class: the proportions.</summary>
    Proportion,
    /// <summary>z = softmax(Σ_{p∈m} ỹ(p) / τ_d) over classes: the counts at temperature τ_d (the public re-implementation's reading).</summary>
    Softmax,
}

/// <summary>The order of the two distributions in <see cref="DeepDistributionLoss"/>'s KL divergence.</summary>
public enum KlDirection
{
    /// <summary>KL(z_T ‖ z_i): the target's distribution first (default).</summary>
    TargetFirst,
    /// <summary>KL(z_i ‖ z_T): the student's first, as the public re-implementation computes it.</summary>
    StudentFirst,
}

/// <summary>
/// DSKD's Deep Distribution Loss (Lin, arXiv 2509.03173, 2025; methods.md §2). Each side output's
/// class-probability map ỹ_i (B×C×H×W) is cut into a G×G grid of patches m of s_h×s_w = (H/G)×(W/G)
/// pixels (n = G² patches), and each patch is summarised by the distribution over classes of its amounts:
/// <code>
/// z_i[m]_c = Σ_{p∈m} ỹ_i,c(p) / s²                  (Proportion, default)
/// z_i[m]   = softmax_c(Σ_{p∈m} ỹ_i,c(p) / τ_d)       (Softmax, τ_d = 3)
/// L_DDL   = Σ_i (1/n) Σ_m KL(z_T[m] ‖ z_i[m]),  KL(P‖Q) = Σ_c P_c (log P_c − log Q_c)
/// </code>
/// (<see cref="KlDirection.StudentFirst"/>: KL(z_i[m] ‖ z_T[m]), the re-implementation's order)
/// equal layer weights, averaged over the images of the batch. The binary case (one sigmoid channel,
/// [paper]) is the two-class map (1 − ỹ, ỹ): the vector (background, foreground) of the paper, see
/// <see cref="SideProbabilities"/>. The target maps are the teacher's side outputs (stage i against
/// stage i) or the one-hot ground truth, for every stage. [ref: a public re-implementation, not
/// verified against the paper; the default grid 4×4 and τ_d = 3 are its]. log z of the proportions is
/// taken of max(z, 1e-8) [ours]: a patch whose probabilities underflow to 0 in float32 stays finite;
/// a target's zero entries contribute 0 (0·log 0 = 0).
/// </summary>
public sealed record DeepDistributionLoss(int Grid = 4, PatchDistribution Distribution = PatchDistribution.Proportion, double Temperature = 3,
    KlDirection Direction = KlDirection.TargetFirst)
{
    /// <summary>Floor of the proportions before their logarithm.</summary>
    public const double Epsilon = 1e-8;

    /// <summary>
    /// Class probabilities of a side output's logits: one channel (binary) → (1 − σ(x), σ(x)), background
    /// first as one-hot labels have it; K channels → softmax over them.
    /// </summary>
    public static Tensor SideProbabilities(Tensor sideLogits)
    {
        if (sideLogits.Size(1) != 1) return sideLogits.Softmax(1);
        using var scope = new DisposeScope();
        var foreground = sideLogits.Sigmoid();
        return scope.MoveToOuter(torch.Cat([1 - foreground, foreground], 1));
    }

    /// <summary>z: the distribution vector of every patch, B×C×G×G, from a B×C×H×W probability map.</summary>
    public Tensor PatchDistributions(Tensor probabilities)
    {
        using var scope = new DisposeScope();
        var (proportions, countScale) = Proportions(probabilities);
        return scope.MoveToOuter(Distribution == PatchDistribution.Proportion ? proportions : (proportions * countScale).Softmax(1));
    }

    /// <summary>log z, computed directly (log-softmax for <see cref="PatchDistribution.Softmax"/>).</summary>
    public Tensor LogPatchDistributions(Tensor probabilities)
    {
        using var scope = new DisposeScope();
        var (proportions, countScale) = Proportions(probabilities);
        return scope.MoveToOuter(Distribution == PatchDistribution.Proportion
            ? proportions.ClampMin(Epsilon).Log()
            : (proportions * countScale).LogSoftmax(1));
    }

    /// <summary>Per-patch class proportions (B×C×G×G) and s²/τ_d, which turns them into the softmax variant's logits.</summary>
    private (Tensor Proportions, double CountScale) Proportions(Tensor probabilities)
    {
        long batch = probabilities.Size(0), classes = probabilities.Size(1), height = probabilities.Size(2), width = probabilities.Size(3);
        if (Grid < 1 || height % Grid != 0 || width % Grid != 0)
            throw new ArgumentException($"a {Grid}×{Grid} patch grid needs a height and width divisible by {Grid}; got {height}×{width}");
        long patchHeight = height / Grid, patchWidth = width / Grid;
        var proportions = probabilities.Reshape(batch, classes, Grid, patchHeight, Grid, patchWidth).Mean([3, 5]);
        return (proportions, patchHeight * patchWidth / Temperature);
    }

    /// <summary>L_DDL of the side outputs' probability maps against their targets (the same count, stage by stage).</summary>
    public Tensor Compute(IReadOnlyList<Tensor> sideProbabilities, IReadOnlyList<Tensor> targetProbabilities)
    {
        if (sideProbabilities.Count == 0 || sideProbabilities.Count != targetProbabilities.Count)
            throw new ArgumentException($"DDL needs one target per side output: {sideProbabilities.Count} side outputs, {targetProbabilities.Count} targets");
        using var scope = new DisposeScope();
        Tensor? total = null;
        for (int i = 0; i < sideProbabilities.Count; i++)
        {
            var logStudent = LogPatchDistributions(sideProbabilities[i]);
            var perPatch = Direction == KlDirection.TargetFirst
                ? F.KlDiv(logStudent, PatchDistributions(targetProbabilities[i]), Reduction.None).Sum(1)   // B×G×G
                : (PatchDistributions(sideProbabilities[i]) * (logStudent - LogPatchDistributions(targetProbabilities[i]))).Sum(1);
            var layer = perPatch.Mean();                                        // (1/n) Σ_m, averaged over images
            total = total is null ? layer : total + layer;
        }
        return scope.MoveToOuter(total!);
    }
}
