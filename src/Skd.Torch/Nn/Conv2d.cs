namespace Skd.Torch.Nn;

/// <summary>
/// What <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/> share, as torch.nn's _ConvNd: a square kernel's
/// weight, an optional bias of the output channels, and a stride, padding, dilation and group count applied alike
/// along height and width.
/// </summary>
public abstract class ConvLayer2d : Module<Tensor, Tensor>
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }

    /// <summary>A new layer: a weight of <paramref name="weightShape"/> and the bias, PyTorch's default initialisation.</summary>
    protected ConvLayer2d(long inChannels, long outChannels, long[] weightShape, long stride, long padding, long dilation, long groups, bool bias)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"in ({inChannels}) and out ({outChannels}) channels must be divisible by groups ({groups})");
        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        Weight = RegisterParameter("weight", torch.Empty(weightShape));
        if (bias) Bias = RegisterParameter("bias", torch.Empty([outChannels]));
        Init.DefaultLayerInit(Weight, Bias);
    }

    /// <summary>A layer over the given weight and bias, which it takes ownership of.</summary>
    protected ConvLayer2d(Tensor weight, Tensor? bias, long stride, long padding, long dilation, long groups)
    {
        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        Weight = RegisterParameter("weight", weight);
        if (bias is not null) Bias = RegisterParameter("bias", bias);
    }
}

/// <summary>2-D convolution, torch.nn.Conv2d: weight (out, in/groups, k, k), PyTorch's default initialisation.</summary>
public sealed class Conv2d : ConvLayer2d, IShapeTraced
{
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true)
        : base(inChannels, outChannels, [outChannels, inChannels / groups, kernelSize, kernelSize], stride, padding, dilation, groups, bias) { }

    private Conv2d(Tensor weight, Tensor? bias, long stride, long padding, long dilation, long groups)
        : base(weight, bias, stride, padding, dilation, groups) { }

    /// <summary>
    /// A convolution of the geometry of <paramref name="like"/> over the given weight (out, in/groups, k, k) and bias
    /// (out), which it takes ownership of; no random initialisation is drawn.
    /// </summary>
    public static Conv2d WithWeights(Conv2d like, Tensor weight, Tensor? bias)
    {
        if (weight.Dim != 4 || (bias is not null && (bias.Dim != 1 || bias.Size(0) != weight.Size(0))))
            throw new TorchShapeException($"a convolution takes a 4-D weight and a bias of its output channels, got [{string.Join(", ", weight.Shape)}] and [{string.Join(", ", bias?.Shape ?? [])}]");
        return new Conv2d(weight, bias, like.Stride, like.Padding, like.Dilation, like.Groups);
    }

    public override Tensor Forward(Tensor input) =>
        Functional.Conv2d(input, Weight, Bias, (Stride, Stride), (Padding, Padding), (Dilation, Dilation), Groups);

    /// <summary>N×C_out×H_out×W_out, H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1; N·H_out·W_out·C_out·(C_in/groups)·k² MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input)
    {
        long outChannels = Weight.Size(0), kernel = Weight.Size(2);
        long Out(long size) => (size + 2 * Padding - Dilation * (kernel - 1) - 1) / Stride + 1;
        long[] output = [input[0], outChannels, Out(input[2]), Out(input[3])];
        walk.Count(this, ParameterCount, checked(output[0] * output[2] * output[3] * outChannels * Weight.Size(1) * kernel * kernel));
        return output;
    }
}

/// <summary>2-D transposed convolution, torch.nn.ConvTranspose2d: weight (in, out/groups, k, k).</summary>
public sealed class ConvTranspose2d : ConvLayer2d, IShapeTraced
{
    public long OutputPadding { get; }

    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long outputPadding = 0, long groups = 1, bool bias = true, long dilation = 1)
        : base(inChannels, outChannels, [inChannels, outChannels / groups, kernelSize, kernelSize], stride, padding, dilation, groups, bias)
    {
        OutputPadding = outputPadding;
    }

    /// <summary>
    /// The transposed convolution (with kernel = stride, as the U-Net's up-sampling, the shim runs it as a 1×1 convolution and a
    /// pixel shuffle: native/nn.cpp), its output in this module's <see cref="Module.MemoryFormat"/> (libtorch 1.13's general
    /// CPU kernel returns it contiguous whatever its input).
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        var output = Functional.ConvTranspose2d(input, Weight, Bias, (Stride, Stride), (Padding, Padding), (OutputPadding, OutputPadding), Groups, (Dilation, Dilation));
        if (MemoryFormat == MemoryFormat.Contiguous || output.IsContiguousIn(MemoryFormat)) return output;
        using (output) return output.Contiguous(MemoryFormat);
    }

    /// <summary>N×C_out×H_out×W_out, H_out = (H − 1)s − 2p + d(k−1) + output padding + 1; each input position scatters (C_out/groups)·k² products: N·H·W·C_in·(C_out/groups)·k² MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input)
    {
        long inChannels = Weight.Size(0), outPerGroup = Weight.Size(1), kernel = Weight.Size(2);
        long Out(long size) => (size - 1) * Stride - 2 * Padding + Dilation * (kernel - 1) + OutputPadding + 1;
        walk.Count(this, ParameterCount, checked(input[0] * input[2] * input[3] * inChannels * outPerGroup * kernel * kernel));
        return [input[0], outPerGroup * Groups, Out(input[2]), Out(input[3])];
    }
}

/// <summary>Fully connected layer y = x Wᵀ + b, torch.nn.Linear.</summary>
public sealed class Linear : Module<Tensor, Tensor>, IShapeTraced
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        Weight = RegisterParameter("weight", torch.Empty([outFeatures, inFeatures]));
        if (bias) Bias = RegisterParameter("bias", torch.Empty([outFeatures]));
        Init.DefaultLayerInit(Weight, Bias);
    }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <summary>The input's shape with its last dimension out_features; one MAC per weight per input row.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input)
    {
        long outFeatures = Weight.Size(0), rows = input.Take(input.Count - 1).Aggregate(1L, (a, b) => checked(a * b));
        walk.Count(this, ParameterCount, checked(rows * Weight.Size(1) * outFeatures));
        return [.. input.Take(input.Count - 1), outFeatures];
    }
}
