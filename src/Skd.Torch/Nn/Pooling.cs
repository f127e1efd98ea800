namespace Skd.Torch.Nn;

/// <summary>2-D max pooling, torch.nn.MaxPool2d (stride defaults to the kernel size).</summary>
public sealed class MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    : Module<Tensor, Tensor>
{
    public long KernelSize => kernelSize;
    public long Stride => stride ?? kernelSize;
    public long Padding => padding;
    public long Dilation => dilation;
    public bool CeilMode => ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
}

/// <summary>2-D average pooling, torch.nn.AvgPool2d.</summary>
public sealed class AvgPool2d(long kernelSize, long? stride = null, long padding = 0) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, kernelSize, stride, padding);
}

/// <summary>Average pooling to a fixed output size, torch.nn.AdaptiveAvgPool2d.</summary>
public sealed class AdaptiveAvgPool2d(long outputHeight, long outputWidth) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputHeight, outputWidth);
}

/// <summary>Channel dropout in training, the identity in evaluation, torch.nn.Dropout2d.</summary>
public sealed class Dropout2d(double p = 0.5) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.Dropout2d(input, p, Training);
}

/// <summary>Element dropout in training, the identity in evaluation, torch.nn.Dropout.</summary>
public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, p, Training);
}

/// <summary>Resizing by a scale factor or to a size, torch.nn.Upsample.</summary>
public sealed class Upsample : Module<Tensor, Tensor>
{
    private readonly double? scaleFactor;
    private readonly (long, long)? size;
    private readonly InterpolationMode mode;
    private readonly bool alignCorners;

    public Upsample(double scaleFactor, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        (this.scaleFactor, this.mode, this.alignCorners) = (scaleFactor, mode, alignCorners);
    }

    public Upsample((long Height, long Width) size, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        (this.size, this.mode, this.alignCorners) = (size, mode, alignCorners);
    }

    public override Tensor Forward(Tensor input) => size is { } s
        ? Functional.Interpolate(input, s, mode, alignCorners)
        : Functional.Interpolate(input, scaleFactor!.Value, mode, alignCorners);
}
