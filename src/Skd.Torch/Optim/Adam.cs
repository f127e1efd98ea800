namespace Skd.Torch.Optim;

/// <summary>
/// Adam, as <c>torch.optim.Adam</c> without amsgrad (PyTorch 1.13's documented algorithm,
/// https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html; Kingma &amp; Ba, 2015). With
/// learning rate γ, betas β₁ and β₂, ε and weight decay λ, at step t:
/// <code>
/// g ← ∇θ + λθ
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// θ ← θ − γ/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// State per parameter: <c>exp_avg</c> (m) and <c>exp_avg_sq</c> (v), zero before step 1.
/// <see cref="AdamW"/> decays the weights instead of adding λθ to the gradient.
/// </summary>
public class Adam : Optimizer
{
    private readonly bool decoupledWeightDecay;

    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this([new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>Groups' own learning rate and weight decay override <paramref name="lr"/> and <paramref name="weightDecay"/>.</summary>
    public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this(paramGroups, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay: false) { }

    /// <summary>For <see cref="AdamW"/>: <paramref name="decoupledWeightDecay"/> multiplies θ by 1 − γλ before the update.</summary>
    protected Adam(IEnumerable<ParamGroup> paramGroups, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupledWeightDecay)
        : base(paramGroups, lr, weightDecay)
    {
        Beta1 = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentException($"invalid beta1: {beta1} (must be in [0, 1))");
        Beta2 = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentException($"invalid beta2: {beta2} (must be in [0, 1))");
        Eps = Validate.NonNegative(eps, "epsilon");
        this.decoupledWeightDecay = decoupledWeightDecay;
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }

    protected override IReadOnlyCollection<string> StateNames { get; } = ["exp_avg", "exp_avg_sq"];

    protected override void Update(Tensor parameter, Tensor grad, ParamGroup group, ParameterState state)
    {
        double lr = group.LearningRate, weightDecay = group.WeightDecay;
        if (decoupledWeightDecay) parameter.Mul_(1 - lr * weightDecay);
        else if (weightDecay != 0) grad = grad.Add(parameter, weightDecay);

        var expAvg = state.Get("exp_avg") ?? state.Set("exp_avg", torch.ZerosLike(parameter));
        var expAvgSq = state.Get("exp_avg_sq") ?? state.Set("exp_avg_sq", torch.ZerosLike(parameter));
        expAvg.Mul_(Beta1).Add_(grad, 1 - Beta1);
        expAvgSq.Mul_(Beta2).Addcmul_(grad, grad, 1 - Beta2);

        double biasCorrection1 = 1 - Math.Pow(Beta1, state.Step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, state.Step);
        var denominator = expAvgSq.Sqrt().Div_(Math.Sqrt(biasCorrection2)).Add_(Eps);
        parameter.Addcdiv_(expAvg, denominator, -lr / biasCorrection1);
    }
}
