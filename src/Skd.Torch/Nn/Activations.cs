namespace Skd.Torch.Nn;

// Activations keep the input's shape and count no MACs (CostWalk's convention).

/// <summary>
/// max(0, x), torch.nn.ReLU. With <paramref name="inplace"/> (PyTorch's inplace=True) it overwrites its input and returns a
/// new handle on it, sparing a tensor per call: for inputs nothing else reads afterwards, such as a convolution's or a
/// batch norm's output inside a <see cref="Sequential"/> (neither backward needs its output).
/// </summary>
public sealed class ReLU(bool inplace = false) : Module<Tensor, Tensor>, IShapeTraced
{
    public bool Inplace => inplace;

    public override Tensor Forward(Tensor input) => inplace ? input.Relu_().Alias() : input.Relu();
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
