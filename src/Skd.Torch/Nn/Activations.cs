namespace Skd.Torch.Nn;

// Activations keep the input's shape and count no MACs (CostWalk's convention).

/// <summary>max(0, x), torch.nn.ReLU.</summary>
public sealed class ReLU : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => input.Relu();
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}

/// <summary>x for x ≥ 0, slope·x otherwise, torch.nn.LeakyReLU.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module<Tensor, Tensor>, IShapeTraced
{
    public double NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}

/// <summary>1/(1 + e^−x), torch.nn.Sigmoid.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}

/// <summary>The input unchanged (a new handle on it), torch.nn.Identity.</summary>
public sealed class Identity : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => input.Alias();
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}
