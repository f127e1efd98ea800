namespace Skd.Torch.Nn;

/// <summary>
/// A forward pass on shapes: each layer type states its output shape, its parameters and its
/// multiply-accumulates (MACs) for an input shape (<see cref="Module{TInput, TOutput}"/>'s
/// <c>Trace</c>); composite modules pass shapes through their children as their forward passes
/// pass tensors, and the walk sums what the layers inside each module report, as fvcore and thop
/// do by walking the module tree. No tensor is read or run.
/// <para>
/// Convention (fvcore's, which thop and ptflops share for ordinary convolutions): one MAC per
/// multiply-accumulate of a weight. Conv2d: N·H_out·W_out·C_out·(C_in/groups)·k², every kernel tap
/// counted, zero padding included. ConvTranspose2d: per input position, N·H_in·W_in·C_in·(C_out/groups)·k².
/// Linear: one per weight per input row. Bias additions, normalisation (foldable into the preceding
/// convolution at inference), activations, pooling, resizing and concatenation count 0. Parameters
/// count every trainable element (batch norm's γ and β included, its running statistics not), as
/// <c>sum(p.numel() for p in net.parameters())</c>, each module once however often it runs.
/// </para>
/// </summary>
public sealed class CostWalk
{
    private readonly HashSet<Module> counted = new(ReferenceEqualityComparer.Instance);

    /// <summary>Parameters counted so far, each layer's once.</summary>
    public long Parameters { get; private set; }

    /// <summary>MACs counted so far, every application of a layer.</summary>
    public long Macs { get; private set; }

    /// <summary>Runs <paramref name="module"/>'s trace on <paramref name="input"/> and returns its output shape.</summary>
    /// <exception cref="NotSupportedException">The module does not describe its cost (it is not an <see cref="IShapeTraced"/>).</exception>
    public IReadOnlyList<long> Run(Module module, IReadOnlyList<long> input) => module is IShapeTraced traced
        ? traced.Trace(this, input)
        : throw new NotSupportedException($"{module.GetType().Name} does not describe its output shape and cost for an input shape (it is not an {nameof(IShapeTraced)})");

    /// <summary>
    /// A layer's own cost for one application: its <paramref name="parameters"/>, counted the first time
    /// the layer runs in this walk (a head run twice, or shared by two parts, is one set of weights),
    /// and the <paramref name="macs"/> of this application.
    /// </summary>
    public void Count(Module layer, long parameters, long macs)
    {
        if (counted.Add(layer)) Parameters = checked(Parameters + parameters);
        Macs = checked(Macs + macs);
    }

    /// <summary>Runs <paramref name="trace"/> and returns its output with the parameters and MACs counted while it ran (one part of a network).</summary>
    public Measured<T> Measure<T>(Func<T> trace)
    {
        var (parameters, macs) = (Parameters, Macs);
        var output = trace();
        return new Measured<T>(output, Parameters - parameters, Macs - macs);
    }
}

/// <summary>What a part of a <see cref="CostWalk"/> produced and cost: its output, the parameters it brought in, its MACs.</summary>
public readonly record struct Measured<T>(T Output, long Parameters, long Macs);

/// <summary>A module with one input tensor whose forward pass can be traced on shapes (see <see cref="CostWalk"/>).</summary>
public interface IShapeTraced
{
    /// <summary>
    /// The output shape for an <paramref name="input"/> shape: a layer reports its own parameters and
    /// MACs to <paramref name="walk"/> (<see cref="CostWalk.Count"/>), a composite runs its children
    /// through it (<see cref="CostWalk.Run"/>) as its forward pass runs them.
    /// </summary>
    IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input);
}

/// <summary>Costs shared by the layer types' traces.</summary>
internal static class LayerCosts
{
    /// <summary>A layer that keeps its input's shape and counts its parameters and no MACs (normalisation).</summary>
    public static IReadOnlyList<long> ParametersOnly(CostWalk walk, Module layer, IReadOnlyList<long> input)
    {
        walk.Count(layer, layer.ParameterCount, 0);
        return input;
    }
}
