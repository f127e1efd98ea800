namespace Skd.Losses;

/// <summary>
/// The shallow-head terms of BYOT, "Be Your Own Teacher" (Zhang et al., ICCV 2019; methods.md §3),
/// each unweighted, summed over the shallow heads i:
/// <code>
/// CrossEntropy = Σ_i CE(q_i, y)                                   (mean over pixels)
/// Distillation = Σ_i τ² · mean_pixels KL(softmax(sg(Z_deep)/τ) ‖ softmax(Z_i/τ))
/// Feature      = Σ_i ‖F_i − sg(F_deep)‖²                          (sum over C·H·W, mean over images)
/// L = (1 − α)·CrossEntropy + α·Distillation + β·Feature,   α = 0.1, τ = 3, β = 1e-6
/// </code>
/// α, τ and β are the defaults of a public re-implementation (pytorch-be-your-own-teacher, train.py:
/// --alpha 0.1, --temperature 3, --beta 1e-6). β is that small because the feature term is a sum of
/// squares; that code sums it over the whole batch and masks it to positions where either feature is
/// positive, here it is averaged over images (independent of the batch size) and unmasked, as the
/// formula is written. [ours] The KD term is the KL divergence (that code's soft cross-entropy differs
/// by the teacher's entropy, a constant: same gradient).
/// </summary>
public static class ByotLoss
{
    /// <summary>The three unweighted sums.</summary>
    public sealed record Terms(Tensor CrossEntropy, Tensor Distillation, Tensor Feature);

    /// <param name="shallowLogits">Z_i, each B×K×H×W.</param>
    /// <param name="shallowFeatures">F_i, each adapted to F_deep's shape.</param>
    /// <param name="deepLogits">Z_deep (detached inside).</param>
    /// <param name="deepFeatures">F_deep (detached inside).</param>
    /// <param name="labels">y, B×H×W int64.</param>
    /// <param name="temperature">τ.</param>
    public static Terms Compute(IReadOnlyList<Tensor> shallowLogits, IReadOnlyList<Tensor> shallowFeatures, Tensor deepLogits, Tensor deepFeatures,
        Tensor labels, double temperature)
    {
        if (shallowLogits.Count == 0 || shallowLogits.Count != shallowFeatures.Count)
            throw new ArgumentException($"BYOT needs one feature map per shallow head: {shallowLogits.Count} heads, {shallowFeatures.Count} feature maps");
        using var scope = new DisposeScope();
        var teacherLogits = deepLogits.Detach();
        var teacherFeatures = deepFeatures.Detach();
        Tensor crossEntropy = F.CrossEntropy(shallowLogits[0], labels), distillation = PixelKdLoss.Compute(shallowLogits[0], teacherLogits, temperature);
        Tensor feature = SquaredDistance(shallowFeatures[0], teacherFeatures);
        for (int i = 1; i < shallowLogits.Count; i++)
        {
            crossEntropy += F.CrossEntropy(shallowLogits[i], labels);
            distillation += PixelKdLoss.Compute(shallowLogits[i], teacherLogits, temperature);
            feature += SquaredDistance(shallowFeatures[i], teacherFeatures);
        }
        return new Terms(scope.MoveToOuter(crossEntropy), scope.MoveToOuter(distillation), scope.MoveToOuter(feature));
    }

    /// <summary>‖a − b‖² per image, averaged over the batch.</summary>
    private static Tensor SquaredDistance(Tensor a, Tensor b) => (a - b).Square().Sum() / a.Size(0);
}
