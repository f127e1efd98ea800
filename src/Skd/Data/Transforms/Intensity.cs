namespace Skd.Data.Transforms;

/// <summary>
/// Intensity normalisation of images (H, W), (C, H, W) or (N, C, H, W). Statistics are taken per
/// image and channel, over the last two dimensions. Integer inputs are converted to float32;
/// floating-point inputs keep their dtype. Every result is a new tensor.
/// </summary>
public static class Intensity
{
    /// <summary>Smallest standard deviation <see cref="ZScore"/> divides by (nnU-Net's guard).</summary>
    public const double MinStd = 1e-8;

    private static readonly long[] Spatial = [-2, -1];

    /// <summary>
    /// CT windowing: clips to [<paramref name="low"/>, <paramref name="high"/>] and scales that
    /// window linearly to [0, 1], (clamp(t, low, high) − low) / (high − low). TransUNet's Synapse
    /// data is windowed to [−125, 275] HU this way.
    /// </summary>
    public static Tensor Window(Tensor t, double low, double high)
    {
        if (!(high > low)) throw new ArgumentException($"the window needs low < high, got [{low}, {high}]");
        using var scope = new DisposeScope();
        var result = AsFloat(t).Clamp(low, high).Sub(low).Div(high - low);
        return scope.MoveToOuter(result);
    }

    /// <summary>
    /// Z-score normalisation, (t − mean) / max(std, <see cref="MinStd"/>), with the population
    /// standard deviation, as nnU-Net's ZScoreNormalization and MONAI's NormalizeIntensity. With a
    /// <paramref name="mask"/> (nonzero = inside, broadcastable to <paramref name="t"/>, e.g. a
    /// brain mask), mean and std are those of the pixels inside, and pixels outside are set to 0,
    /// the normalised mean (nnU-Net's use_mask_for_norm, MONAI's nonzero=True). A constant image,
    /// or an empty mask, gives zeros.
    /// </summary>
    public static Tensor ZScore(Tensor t, Tensor? mask = null)
    {
        using var scope = new DisposeScope();
        var x = AsFloat(t);
        var inside = mask is null ? torch.OnesLike(x) : mask.Ne(0).To(x.DType);
        var count = inside.Sum(Spatial, keepDim: true).ClampMin(1);
        var mean = x.Mul(inside).Sum(Spatial, keepDim: true).Div(count);
        var centred = x.Sub(mean).Mul(inside);
        var std = centred.Square().Sum(Spatial, keepDim: true).Div(count).Sqrt().ClampMin(MinStd);
        return scope.MoveToOuter(centred.Div(std));
    }

    /// <summary>
    /// Min-max scaling to [0, 1], (t − min) / (max − min), per image and channel (MONAI's
    /// ScaleIntensity with minv=0, maxv=1). A constant image gives zeros.
    /// </summary>
    public static Tensor MinMax(Tensor t)
    {
        using var scope = new DisposeScope();
        var x = AsFloat(t);
        var min = x.Amin(Spatial, keepDim: true);
        var range = x.Amax(Spatial, keepDim: true).Sub(min);
        range = range.MaskedFill(range.Eq(0), 1);
        return scope.MoveToOuter(x.Sub(min).Div(range));
    }

    private static Tensor AsFloat(Tensor t) => t.DType.IsFloatingPoint() ? t : t.Float();
}
