namespace Skd.Losses;

/// <summary>
/// The progressively softened target of PS-KD (Kim et al., ICCV 2021) and of DSKD's PSDL (Lin 2025;
/// methods.md §2, §3): the ground truth mixed with a past model's prediction, with a weight that grows
/// linearly over training:
/// <code>
/// α_t = α_T · t / T                     (t = epoch, 0-based; T = epochs)
/// ŷ   = α_t · p_T + (1 − α_t) · onehot(y)
/// </code>
/// α_T = 0.8 for PS-KD, 0.5 for DSKD. Trained with <see cref="SoftCrossEntropy"/>. With two classes
/// this is exactly DSKD's binary PSDL: −[ŷ₁ log softmax(Z)₁ + (1 − ŷ₁) log softmax(Z)₀] is
/// BCE(ỹ_S, ŷ) with ỹ_S = softmax(Z)₁ = σ(Z₁ − Z₀) the foreground probability and
/// ŷ₁ = α_t·ỹ_T + (1 − α_t)·y.
/// </summary>
public static class ProgressiveSoftTarget
{
    /// <summary>α_t = α_T·t/T.</summary>
    public static double Alpha(double finalAlpha, int epoch, int epochs)
    {
        if (epochs < 1 || epoch < 0 || epoch >= epochs)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epoch must be in [0, {epochs}) with at least one epoch");
        return finalAlpha * epoch / epochs;
    }

    /// <param name="teacherProbabilities">p_T, B×K×H×W class probabilities (not recorded for gradient by the caller).</param>
    /// <param name="labels">y, B×H×W int64.</param>
    /// <param name="alpha">α_t.</param>
    public static Tensor Compute(Tensor teacherProbabilities, Tensor labels, double alpha)
    {
        using var scope = new DisposeScope();
        var onehot = Functional.OneHot(labels, teacherProbabilities.Size(1)).Permute(0, 3, 1, 2).To(teacherProbabilities.DType);
        return scope.MoveToOuter(teacherProbabilities * alpha + onehot * (1 - alpha));
    }
}
