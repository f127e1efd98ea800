namespace Skd.Losses;

/// <summary>
/// Soft Dice loss on softmax probabilities p (B×K×H×W) against one-hot labels y, per class k:
/// <code>
/// D_k = 1 − (2·Σ p_k·y_k + s) / (Σ p_k² + Σ y_k² + s)      (squared denominator, TransUNet)
/// D_k = 1 − (2·Σ p_k·y_k + s) / (Σ p_k + Σ y_k + s)        (plain, V-Net/MONAI squared_pred=False)
/// L = (1/|C|) Σ_{k∈C} D_k
/// </code>
/// sums over the whole batch and every pixel; C = every class (TransUNet includes the
/// background) or the foreground classes only. Source: TransUNet's utils.DiceLoss (Chen et al.
/// 2021), smooth s = 1e-5; Milletari et al. 2016 (V-Net).
/// </summary>
public sealed record DiceLoss(bool IncludeBackground = true, bool SquaredDenominator = true, double Smooth = 1e-5)
{
    /// <param name="logits">B×K×H×W raw scores.</param>
    /// <param name="labels">B×H×W int64 class indices.</param>
    public Tensor Compute(Tensor logits, Tensor labels) => FromProbabilities(logits.Softmax(1), labels);

    public Tensor FromProbabilities(Tensor probabilities, Tensor labels)
    {
        using var scope = new DisposeScope();
        long classes = probabilities.Size(1);
        var onehot = Functional.OneHot(labels, classes).Permute(0, 3, 1, 2).To(probabilities.DType);
        long[] dims = [0, 2, 3];
        var intersection = (probabilities * onehot).Sum(dims);
        var denominator = SquaredDenominator
            ? probabilities.Square().Sum(dims) + onehot.Sum(dims)   // y² = y for one-hot
            : probabilities.Sum(dims) + onehot.Sum(dims);
        var perClass = 1 - (intersection * 2 + Smooth) / (denominator + Smooth);
        var used = IncludeBackground ? perClass : perClass.Narrow(0, 1, classes - 1);
        return scope.MoveToOuter(used.Mean());
    }
}
