namespace Skd.Torch.Optim;

/// <summary>Gradient clipping, as <c>torch.nn.utils</c>.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their joint norm is at
    /// most <paramref name="maxNorm"/>, as PyTorch 1.13's <c>clip_grad_norm_</c>:
    /// <code>
    /// total = ‖(‖g₁‖ₚ, …, ‖gₙ‖ₚ)‖ₚ        (the p-norm of all gradients as one vector; p = ∞: max |g|)
    /// gᵢ ← gᵢ · min(maxNorm / (total + 1e-6), 1)
    /// </code>
    /// Parameters without a gradient are skipped. Returns the total norm before clipping (0 when no
    /// parameter has a gradient).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        Validate.NonNegative(maxNorm, "max norm");
        if (!(normType > 0)) throw new ArgumentException($"invalid norm type: {normType} (must be > 0)");
        using var noGrad = torch.NoGrad();
        using var scope = new DisposeScope();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var total = torch.Stack(grads.Select(g => g.Norm(normType)).ToList()).Norm(normType);
        var coefficient = (maxNorm / (total + 1e-6)).Clamp(max: 1.0);
        foreach (var g in grads) g.Mul_(coefficient);
        return total.Item();
    }
}
