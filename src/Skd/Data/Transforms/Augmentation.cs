namespace Skd.Data.Transforms;

/// <summary>
/// Random augmentation of a batch, on the batch's device: images (N, C, H, W) floating point and
/// label maps (N, H, W) of an integer dtype, each sample with its own <see cref="SampleTransform"/>.
/// <para>
/// Order: intensity (brightness shift, contrast, gamma) on the real pixels first, then rot90 and
/// flips as exact permutations of pixels (torch.rot90 / flip, as TransUNet's random_rot_flip), then
/// rotation and zoom combined into one affine matrix per sample, applied with affine_grid +
/// grid_sample (align_corners=False): bilinear for the image, nearest for the label (sampled as a
/// float copy in the image's dtype, then cast back, so labels keep their exact values; with zero
/// padding the outside reads label 0). A sample whose parameter is neutral is left bit-exact.
/// </para>
/// <para>
/// The parameters come from this object's own <see cref="Random"/>, never from libtorch's
/// generator: the same seed and the same calls give the same outputs, whatever else uses torch.
/// </para>
/// </summary>
public sealed class Augmentation
{
    /// <summary>Added to the intensity range in the gamma correction (MONAI's RandAdjustContrast).</summary>
    private const double GammaEpsilon = 1e-7;

    private static readonly long[] PerSampleDims = [1, 2, 3];

    private readonly Random random;

    public Augmentation(AugmentationOptions options, int seed)
    {
        options.Validate();
        Options = options;
        random = new Random(seed);
    }

    public AugmentationOptions Options { get; }

    /// <summary>Draws the next <paramref name="batchSize"/> samples' parameters (thread-safe).</summary>
    public SampleTransform[] Draw(int batchSize)
    {
        lock (random) return Enumerable.Range(0, batchSize).Select(_ => SampleTransform.Draw(random, Options)).ToArray();
    }

    /// <summary>Draws parameters for each sample and applies them; the results are new tensors.</summary>
    public (Tensor Images, Tensor Labels) Apply(Tensor images, Tensor labels) => Apply(images, labels, Draw(checked((int)images.Size(0))));

    /// <summary>
    /// Applies the given per-sample parameters (one per sample), with this object's
    /// <see cref="AugmentationOptions.Padding"/>; the results are new tensors.
    /// </summary>
    public (Tensor Images, Tensor Labels) Apply(Tensor images, Tensor labels, IReadOnlyList<SampleTransform> transforms)
    {
        CheckBatch(images, labels, transforms);
        using var scope = new DisposeScope();
        var x = AdjustIntensity(images, transforms);
        var (xd, yd) = Dihedral(x, labels, transforms);
        var (xa, ya) = RotateAndZoom(xd, yd, transforms, Options.Padding);
        return (scope.MoveToOuter(ReferenceEquals(xa, images) ? images.Clone() : xa),
                scope.MoveToOuter(ReferenceEquals(ya, labels) ? labels.Clone() : ya));
    }

    private static Tensor AdjustIntensity(Tensor x, IReadOnlyList<SampleTransform> transforms)
    {
        if (transforms.Any(t => t.BrightnessShift != 0))
            x = x.Add(PerSample(transforms.Select(t => t.BrightnessShift), x));
        if (transforms.Any(t => t.Contrast != 1))
        {
            // torchvision's blend c·x + (1 − c)·mean: exactly x where c = 1.
            var c = PerSample(transforms.Select(t => t.Contrast), x);
            x = x.Mul(c).Add(x.Mean(PerSampleDims, keepDim: true).Mul(c.Neg().Add(1)));
        }
        if (transforms.Any(t => t.Gamma != 1))
        {
            // nnU-Net's GammaTransform / MONAI's RandAdjustContrast: gamma on [0, 1], original range kept.
            var low = x.Amin(PerSampleDims, keepDim: true);
            var range = x.Amax(PerSampleDims, keepDim: true).Sub(low);
            var corrected = x.Sub(low).Div(range.Add(GammaEpsilon)).Pow(PerSample(transforms.Select(t => t.Gamma), x)).Mul(range).Add(low);
            x = Mask(transforms.Select(t => t.Gamma != 1), x).Where(corrected, x);
        }
        return x;
    }

    private static (Tensor Images, Tensor Labels) Dihedral(Tensor x, Tensor y, IReadOnlyList<SampleTransform> transforms)
    {
        var (x0, y0) = (x, y);
        for (int k = 1; k <= 3; k++)
            if (transforms.Any(t => t.Rot90 == k))
                (x, y) = Select(transforms.Select(t => t.Rot90 == k), (x0.Rot90(k, 2, 3), y0.Rot90(k, 1, 2)), (x, y));
        if (transforms.Any(t => t.FlipHorizontal))
            (x, y) = Select(transforms.Select(t => t.FlipHorizontal), (x.Flip(3), y.Flip(2)), (x, y));
        if (transforms.Any(t => t.FlipVertical))
            (x, y) = Select(transforms.Select(t => t.FlipVertical), (x.Flip(2), y.Flip(1)), (x, y));
        return (x, y);
    }

    private static (Tensor Images, Tensor Labels) RotateAndZoom(Tensor x, Tensor y, IReadOnlyList<SampleTransform> transforms, GridSamplePadding padding)
    {
        if (!transforms.Any(t => t.IsInterpolating)) return (x, y);
        long n = x.Size(0), h = x.Size(2), w = x.Size(3);
        var theta = Tensor.From(transforms.SelectMany(t => AffineMatrix(t, h, w)).ToArray(), n, 2, 3).To(x.Device, x.DType);
        var grid = F.AffineGrid(theta, x.Shape);
        var images = F.GridSample(x, grid, GridSampleMode.Bilinear, padding);
        var labels = F.GridSample(y.Unsqueeze(1).To(x.DType), grid, GridSampleMode.Nearest, padding).Squeeze(1).To(y.DType);
        return Select(transforms.Select(t => t.IsInterpolating), (images, labels), (x, y));
    }

    /// <summary>
    /// The 2 × 3 matrix affine_grid takes (output → input, normalised coordinates) for a rotation
    /// by the sample's angle and a zoom by its factor about the centre. The rotation is in pixel
    /// space, so the H/W ratio enters: rotated shapes stay undistorted on non-square images.
    /// </summary>
    private static double[] AffineMatrix(SampleTransform t, long height, long width)
    {
        double angle = t.RotationDegrees * Math.PI / 180, cos = Math.Cos(angle) / t.Zoom, sin = Math.Sin(angle) / t.Zoom;
        double hw = (double)height / width;
        return [cos, -sin * hw, 0, sin / hw, cos, 0];
    }

    /// <summary>Per sample, <paramref name="ifTrue"/> where the flag holds, else <paramref name="ifFalse"/>.</summary>
    private static (Tensor, Tensor) Select(IEnumerable<bool> flags, (Tensor X, Tensor Y) ifTrue, (Tensor X, Tensor Y) ifFalse)
    {
        var mask = flags.ToArray();
        return (Mask(mask, ifFalse.X).Where(ifTrue.X, ifFalse.X), Mask(mask, ifFalse.Y).Where(ifTrue.Y, ifFalse.Y));
    }

    /// <summary>A bool tensor (N, 1, …) on <paramref name="like"/>'s device, broadcasting over a sample.</summary>
    private static Tensor Mask(IEnumerable<bool> flags, Tensor like)
    {
        var values = flags.ToArray();
        return Tensor.From(values).To(like.Device).View([values.Length, .. Enumerable.Repeat(1L, like.Dim - 1)]);
    }

    /// <summary>A (N, 1, 1, 1) tensor of per-sample values in <paramref name="like"/>'s dtype and device.</summary>
    private static Tensor PerSample(IEnumerable<double> values, Tensor like)
    {
        var v = values.ToArray();
        return Tensor.From(v, v.Length, 1, 1, 1).To(like.Device, like.DType);
    }

    private static void CheckBatch(Tensor images, Tensor labels, IReadOnlyList<SampleTransform> transforms)
    {
        string Shape(Tensor t) => $"[{string.Join(", ", t.Shape)}]";
        if (images.Dim != 4 || !images.DType.IsFloatingPoint())
            throw new ArgumentException($"augmentation expects floating-point images (N, C, H, W), got {images.DType.Name()} {Shape(images)}");
        if (labels.Dim != 3 || labels.DType.IsFloatingPoint() || labels.DType == DType.Bool
            || labels.Size(0) != images.Size(0) || labels.Size(1) != images.Size(2) || labels.Size(2) != images.Size(3))
            throw new ArgumentException($"augmentation expects integer labels (N, H, W) matching images {Shape(images)}, got {labels.DType.Name()} {Shape(labels)}");
        if (labels.Device != images.Device)
            throw new ArgumentException($"images are on {images.Device} but labels on {labels.Device}");
        if (transforms.Count != images.Size(0))
            throw new ArgumentException($"{transforms.Count} sample transforms for a batch of {images.Size(0)}");
        if (images.Size(2) != images.Size(3) && transforms.Any(t => t.Rot90 % 2 != 0))
            throw new ArgumentException($"rot90 by an odd k needs square images, got H x W = {images.Size(2)} x {images.Size(3)}: resize or pad first");
        if (transforms.Any(t => t.Rot90 is < 0 or > 3))
            throw new ArgumentException("rot90's k must be in 0..3");
    }
}
