namespace Skd.Torch.Optim;

/// <summary>
/// Adam with decoupled weight decay, as <c>torch.optim.AdamW</c> without amsgrad (PyTorch 1.13's
/// documented algorithm, https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html;
/// Loshchilov &amp; Hutter, 2019). At step t, with the symbols of <see cref="Adam"/>:
/// <code>
/// θ ← θ(1 − γλ)
/// m ← β₁m + (1 − β₁)∇θ
/// v ← β₂v + (1 − β₂)(∇θ)²
/// θ ← θ − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : this([new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>Groups' own learning rate and weight decay override <paramref name="lr"/> and <paramref name="weightDecay"/>.</summary>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(paramGroups, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: true) { }
}
