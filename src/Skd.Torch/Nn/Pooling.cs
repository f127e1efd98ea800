namespace Skd.Torch.Nn;

/// <summary>2-D max pooling, torch.nn.MaxPool2d (stride defaults to the kernel size).</summary>
public sealed class MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    : Module<Tensor, Tensor>, IShapeTraced
{
    public long KernelSize => kernelSize;
    public long Stride => stride ?? kernelSize;
    public long Padding => padding;
    public long Dilation => dilation;
    public bool CeilMode => ceilMode;

    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);

    /// <summary>H_out = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 (⌈⌉ in ceil mode, the last window starting inside the padded input); no MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input)
    {
        long Out(long size)
        {
            long span = size + 2 * Padding - Dilation * (KernelSize - 1) - 1;
            long output = (CeilMode ? (span + Stride - 1) / Stride : span / Stride) + 1;
            return CeilMode && (output - 1) * Stride >= size + Padding ? output - 1 : output;
        }
        return [input[0], input[1], Out(input[2]), Out(input[3])];
    }
}

/// <summary>2-D average pooling, torch.nn.AvgPool2d.</summary>
public sealed class AvgPool2d(long kernelSize, long? stride = null, long padding = 0) : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, kernelSize, stride, padding);

    /// <summary>H_out = ⌊(H + 2p − k)/s⌋ + 1; no MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input)
    {
        long step = stride ?? kernelSize;
        return [input[0], input[1], (input[2] + 2 * padding - kernelSize) / step + 1, (input[3] + 2 * padding - kernelSize) / step + 1];
    }
}

/// <summary>Average pooling to a fixed output size, torch.nn.AdaptiveAvgPool2d.</summary>
public sealed class AdaptiveAvgPool2d(long outputHeight, long outputWidth) : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputHeight, outputWidth);
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => [input[0], input[1], outputHeight, outputWidth];
}

/// <summary>Channel dropout in training, the identity in evaluation, torch.nn.Dropout2d.</summary>
public sealed class Dropout2d(double p = 0.5) : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => Functional.Dropout2d(input, p, Training);
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}

/// <summary>Element dropout in training, the identity in evaluation, torch.nn.Dropout.</summary>
public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>, IShapeTraced
{
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, p, Training);
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => input;
}

/// <summary>Resizing by a scale factor or to a size, torch.nn.Upsample.</summary>
public sealed class Upsample : Module<Tensor, Tensor>, IShapeTraced
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

    /// <summary>The given size, or ⌊H·scale⌋ × ⌊W·scale⌋; resizing counts no MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => size is { } s
        ? [input[0], input[1], s.Item1, s.Item2]
        : [input[0], input[1], (long)Math.Floor(input[2] * scaleFactor!.Value), (long)Math.Floor(input[3] * scaleFactor.Value)];
}
