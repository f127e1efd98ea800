namespace Skd.Torch.Nn;

/// <summary>2-D convolution, torch.nn.Conv2d: weight (out, in/groups, k, k), PyTorch's default initialisation.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }

    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"in ({inChannels}) and out ({outChannels}) channels must be divisible by groups ({groups})");
        (Stride, Padding, Dilation, Groups) = (stride, padding, dilation, groups);
        Weight = RegisterParameter("weight", torch.Empty([outChannels, inChannels / groups, kernelSize, kernelSize]));
        if (bias) Bias = RegisterParameter("bias", torch.Empty([outChannels]));
        Init.DefaultLayerInit(Weight, Bias);
    }

    public override Tensor Forward(Tensor input) =>
        Functional.Conv2d(input, Weight, Bias, (Stride, Stride), (Padding, Padding), (Dilation, Dilation), Groups);
}

/// <summary>2-D transposed convolution, torch.nn.ConvTranspose2d: weight (in, out/groups, k, k).</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long OutputPadding { get; }
    public long Groups { get; }
    public long Dilation { get; }

    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0,
        long outputPadding = 0, long groups = 1, bool bias = true, long dilation = 1)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"in ({inChannels}) and out ({outChannels}) channels must be divisible by groups ({groups})");
        (Stride, Padding, OutputPadding, Groups, Dilation) = (stride, padding, outputPadding, groups, dilation);
        Weight = RegisterParameter("weight", torch.Empty([inChannels, outChannels / groups, kernelSize, kernelSize]));
        if (bias) Bias = RegisterParameter("bias", torch.Empty([outChannels]));
        Init.DefaultLayerInit(Weight, Bias);
    }

    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight, Bias, (Stride, Stride), (Padding, Padding), (OutputPadding, OutputPadding), Groups, (Dilation, Dilation));
}

/// <summary>Fully connected layer y = x Wᵀ + b, torch.nn.Linear.</summary>
public sealed class Linear : Module<Tensor, Tensor>
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
}
