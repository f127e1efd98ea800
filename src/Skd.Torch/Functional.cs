namespace Skd.Torch;

/// <summary>How a loss reduces its per-element values (codes of skd_reduction, native/skd_tables.h).</summary>
[NativeTable("SKD_REDUCTIONS")]
public enum Reduction { None, Mean, Sum }

/// <summary>How Interpolate resamples (codes of skd_interpolation_mode).</summary>
[NativeTable("SKD_INTERPOLATION_MODES")]
public enum InterpolationMode { Nearest, Bilinear, Bicubic }

/// <summary>How GridSample interpolates (codes of skd_grid_sample_mode, libtorch's own).</summary>
[NativeTable("SKD_GRID_SAMPLE_MODES")]
public enum GridSampleMode { Bilinear, Nearest, Bicubic }

/// <summary>What GridSample reads outside the input (codes of skd_grid_sample_padding, libtorch's own).</summary>
[NativeTable("SKD_GRID_SAMPLE_PADDINGS")]
public enum GridSamplePadding { Zeros, Border, Reflection }

/// <summary>How Pad fills the border (codes of skd_padding_mode).</summary>
[NativeTable("SKD_PADDING_MODES")]
public enum PaddingMode { Constant, Reflect, Replicate }

/// <summary>
/// Neural-network functions with the semantics of <c>torch.nn.functional</c> (same argument
/// names and defaults, in .NET casing). All run libtorch's kernels and record autograd.
/// </summary>
public static unsafe class Functional
{
    private static IntPtr H(Tensor? t) => t?.Handle ?? IntPtr.Zero;

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long, long)? stride = null,
        (long, long)? padding = null, (long, long)? dilation = null, long groups = 1)
    {
        long* geometry = stackalloc long[6];
        return Tensor.Wrap(Native.skd_conv2d(input.Handle, weight.Handle, H(bias),
            Pair(geometry, stride ?? (1, 1)), Pair(geometry + 2, padding ?? (0, 0)), Pair(geometry + 4, dilation ?? (1, 1)), groups));
    }

    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (long, long)? stride = null,
        (long, long)? padding = null, (long, long)? outputPadding = null, long groups = 1, (long, long)? dilation = null)
    {
        long* geometry = stackalloc long[8];
        return Tensor.Wrap(Native.skd_conv_transpose2d(input.Handle, weight.Handle, H(bias),
            Pair(geometry, stride ?? (1, 1)), Pair(geometry + 2, padding ?? (0, 0)), Pair(geometry + 4, outputPadding ?? (0, 0)), groups,
            Pair(geometry + 6, dilation ?? (1, 1))));
    }

    /// <summary>Writes a (height, width) pair at <paramref name="at"/>, where a native call reads it, and returns that place.</summary>
    private static long* Pair(long* at, (long Height, long Width) pair)
    {
        (at[0], at[1]) = pair;
        return at;
    }

    /// <summary>Batch normalisation; in training mode it updates the running statistics in place.</summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null,
        Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Tensor.Wrap(Native.skd_batch_norm(input.Handle, H(weight), H(bias), H(runningMean), H(runningVar), training ? 1 : 0, momentum, eps));

    public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Tensor.Wrap(Native.skd_group_norm(input.Handle, numGroups, H(weight), H(bias), eps));

    public static Tensor MaxPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    {
        long st = stride ?? kernelSize;
        long* k = stackalloc long[] { kernelSize, kernelSize };
        long* s = stackalloc long[] { st, st };
        long* p = stackalloc long[] { padding, padding };
        long* d = stackalloc long[] { dilation, dilation };
        return Tensor.Wrap(Native.skd_max_pool2d(input.Handle, k, s, p, d, ceilMode ? 1 : 0));
    }

    public static Tensor AvgPool2d(Tensor input, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        long st = stride ?? kernelSize;
        long* k = stackalloc long[] { kernelSize, kernelSize };
        long* s = stackalloc long[] { st, st };
        long* p = stackalloc long[] { padding, padding };
        return Tensor.Wrap(Native.skd_avg_pool2d(input.Handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0));
    }

    public static Tensor AdaptiveAvgPool2d(Tensor input, long outputHeight, long outputWidth)
    {
        long* o = stackalloc long[] { outputHeight, outputWidth };
        return Tensor.Wrap(Native.skd_adaptive_avg_pool2d(input.Handle, o));
    }

    /// <summary>Resizes (N, C, H, W) to an output size, as F.interpolate(size=...).</summary>
    public static Tensor Interpolate(Tensor input, (long Height, long Width) size, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        CheckAlignCorners(mode, alignCorners);
        long* o = stackalloc long[] { size.Height, size.Width };
        return Tensor.Wrap(Native.skd_interpolate(input.Handle, o, (int)mode, alignCorners ? 1 : 0, 0, 0));
    }

    /// <summary>Resizes (N, C, H, W) by a scale factor, as F.interpolate(scale_factor=...): the
    /// output is floor(size · scale), and the factor itself sets the sampling positions.</summary>
    public static Tensor Interpolate(Tensor input, double scaleFactor, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        CheckAlignCorners(mode, alignCorners);
        if (input.Dim != 4) throw new TorchShapeException($"Interpolate expects a 4-D (N, C, H, W) input, got shape [{string.Join(", ", input.Shape)}]");
        long* o = stackalloc long[] { (long)Math.Floor(input.Size(2) * scaleFactor), (long)Math.Floor(input.Size(3) * scaleFactor) };
        return Tensor.Wrap(Native.skd_interpolate(input.Handle, o, (int)mode, alignCorners ? 1 : 0, scaleFactor, scaleFactor));
    }

    private static void CheckAlignCorners(InterpolationMode mode, bool alignCorners)
    {
        if (alignCorners && mode == InterpolationMode.Nearest)
            throw new ArgumentException("alignCorners applies to bilinear and bicubic interpolation only, as in PyTorch");
    }

    public static Tensor Softmax(Tensor input, long dim) => input.Softmax(dim);
    public static Tensor LogSoftmax(Tensor input, long dim) => input.LogSoftmax(dim);
    public static Tensor Relu(Tensor input) => input.Relu();
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => input.LeakyRelu(negativeSlope);
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>y = x Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Tensor.Wrap(Native.skd_linear(input.Handle, weight.Handle, H(bias)));

    /// <summary>
    /// Cross-entropy of logits (N, C, ...) against class indices (N, ...) of dtype int64, with
    /// optional class weights, an ignored index and label smoothing: F.cross_entropy.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        long ignoreIndex = -100, double labelSmoothing = 0) =>
        Tensor.Wrap(Native.skd_cross_entropy(input.Handle, target.Handle, H(weight), (int)reduction, ignoreIndex, labelSmoothing));

    /// <summary>−[y log p + (1 − y) log(1 − p)] on probabilities: F.binary_cross_entropy.</summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(Native.skd_binary_cross_entropy(input.Handle, target.Handle, H(weight), (int)reduction));

    /// <summary>Binary cross-entropy on logits, numerically stable: F.binary_cross_entropy_with_logits.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? posWeight = null,
        Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(Native.skd_bce_with_logits(input.Handle, target.Handle, H(weight), H(posWeight), (int)reduction));

    /// <summary>
    /// KL divergence with <paramref name="input"/> as log-probabilities: target·(log target − input),
    /// F.kl_div. <see cref="Reduction.Mean"/> averages over every element, as PyTorch's "mean".
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false) =>
        Tensor.Wrap(Native.skd_kl_div(input.Handle, target.Handle, (int)reduction, logTarget ? 1 : 0));

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(Native.skd_mse_loss(input.Handle, target.Handle, (int)reduction));

    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true) => Tensor.Wrap(Native.skd_dropout(input.Handle, p, training ? 1 : 0, 0));

    /// <summary>Zeroes whole channels with probability p (F.dropout2d).</summary>
    public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true) => Tensor.Wrap(Native.skd_dropout(input.Handle, p, training ? 1 : 0, 1));

    /// <summary>One-hot encoding of int64 class indices: a new last dimension of size numClasses (int64).</summary>
    public static Tensor OneHot(Tensor input, long numClasses = -1) => Tensor.Wrap(Native.skd_one_hot(input.Handle, numClasses));

    /// <summary>Sampling grid (N, H, W, 2) of the affine maps theta (N, 2, 3) for an output of size (N, C, H, W).</summary>
    public static Tensor AffineGrid(Tensor theta, long[] size, bool alignCorners = false)
    {
        fixed (long* s = size) return Tensor.Wrap(Native.skd_affine_grid(theta.Handle, s, size.Length, alignCorners ? 1 : 0));
    }

    public static Tensor GridSample(Tensor input, Tensor grid, GridSampleMode mode = GridSampleMode.Bilinear,
        GridSamplePadding paddingMode = GridSamplePadding.Zeros, bool alignCorners = false) =>
        Tensor.Wrap(Native.skd_grid_sample(input.Handle, grid.Handle, (int)mode, (int)paddingMode, alignCorners ? 1 : 0));

    /// <summary>Pads the last dimensions: pad = (left, right, top, bottom, ...), as F.pad.</summary>
    public static Tensor Pad(Tensor input, long[] pad, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        fixed (long* p = pad) return Tensor.Wrap(Native.skd_pad(input.Handle, p, pad.Length, (int)mode, value));
    }

    /// <summary>
    /// Gradient reversal (Ganin &amp; Lempitsky, ICML 2015): the identity forward, −λ·grad backward.
    /// Puts a parameter in a min-max game: what follows minimises the loss, what precedes maximises it.
    /// </summary>
    public static Tensor GradientReversal(Tensor input, double lambda = 1) => Tensor.Wrap(Native.skd_gradient_reversal(input.Handle, lambda));
}
