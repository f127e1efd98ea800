namespace Skd.Losses;

/// <summary>
/// Cross-entropy against soft targets q (B×K×H×W, each pixel a distribution over classes):
/// <code>L = −(1/(B·H·W)) Σ_pixels Σ_k q_k · log softmax(Z)_k</code>
/// the pixel-wise loss of PS-KD (Kim et al. 2021) and of DSKD's PSDL in the multi-class case
/// (methods.md §2, §3). Gradient flows into Z only if q is detached by the caller.
/// </summary>
public static class SoftCrossEntropy
{
    public static Tensor Compute(Tensor logits, Tensor targets)
    {
        using var scope = new DisposeScope();
        var perPixel = -(targets * logits.LogSoftmax(1)).Sum(1);
        return scope.MoveToOuter(perPixel.Mean());
    }
}
