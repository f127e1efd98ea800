namespace Skd.Torch.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, as <c>torch.optim.SGD</c> (PyTorch 1.13's documented
/// algorithm, https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html). With learning rate γ,
/// weight decay λ, momentum μ and dampening τ, at step t:
/// <code>
/// g ← ∇θ + λθ
/// if μ ≠ 0:  b ← g at t = 1, else b ← μb + (1 − τ)g
///            g ← g + μb if nesterov, else g ← b
/// θ ← θ − γg
/// </code>
/// State per parameter: <c>momentum_buffer</c> (b), when μ ≠ 0.
/// </summary>
public sealed class SGD : Optimizer
{
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov) { }

    /// <summary>Groups' own learning rate and weight decay override <paramref name="lr"/> and <paramref name="weightDecay"/>.</summary>
    public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(paramGroups, lr, weightDecay)
    {
        Momentum = Validate.NonNegative(momentum, "momentum");
        if (nesterov && (momentum == 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening");
        Dampening = dampening;
        Nesterov = nesterov;
    }

    public double Momentum { get; }
    public double Dampening { get; }
    public bool Nesterov { get; }

    protected override IReadOnlyCollection<string> StateNames { get; } = ["momentum_buffer"];

    protected override void Update(Tensor parameter, Tensor grad, ParamGroup group, ParameterState state)
    {
        var d = group.WeightDecay != 0 ? grad.Add(parameter, group.WeightDecay) : grad;
        if (Momentum != 0)
        {
            var buffer = state.Get("momentum_buffer");
            if (buffer is null) buffer = state.Set("momentum_buffer", d.Clone());
            else buffer.Mul_(Momentum).Add_(d, 1 - Dampening);
            d = Nesterov ? d.Add(buffer, Momentum) : buffer;
        }
        parameter.Add_(d, -group.LearningRate);
    }
}
