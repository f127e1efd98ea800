namespace Skd.Data;

/// <summary>How raw intensities become network inputs.</summary>
public enum IntensityNormalization
{
    /// <summary>Chosen from the data: CT channels windowed, 2-D images scaled by their bit depth (<see cref="ScaleBitDepth"/>), other volumes z-scored, Synapse left as is.</summary>
    Auto,
    /// <summary>Unchanged (data already normalised, e.g. TransUNet's Synapse slices in [0, 1]).</summary>
    None,
    /// <summary>
    /// Divided by the largest value of the image files' pixel format, to [0, 1]: 255 for 8-bit, 65535 for
    /// 16-bit images (<see cref="LoadedCase.FullScale"/>); floating-point images and volumes are left as they are.
    /// </summary>
    ScaleBitDepth,
    /// <summary>Per case and channel to [0, 1].</summary>
    MinMax,
    /// <summary>CT windowing: clipped to [low, high] HU and scaled to [0, 1] (TransUNet: [−125, 275]).</summary>
    CtWindow,
    /// <summary>Per case and channel to zero mean, unit variance.</summary>
    ZScore,
}

/// <summary>
/// Turns a loaded case into training slices: intensity normalisation per case and channel, then
/// every slice resized to Size×Size (image bilinear, or bicubic as TransUNet's Synapse protocol;
/// label nearest, so no new label values appear). Output: images (D, C, S, S) float32, labels (D, S, S) int64.
/// </summary>
public sealed class CasePreprocessor
{
    public required int Size { get; init; }
    public IntensityNormalization Normalization { get; init; } = IntensityNormalization.Auto;
    public (double Low, double High) CtWindow { get; init; } = (-125, 275);
    public InterpolationMode ImageInterpolation { get; init; } = InterpolationMode.Bilinear;

    public (Tensor Images, Tensor Labels) Prepare(LoadedCase c)
    {
        using var scope = new DisposeScope();
        var images = NormalizedSlices(c);
        var labels = c.Label ?? throw new DataFormatException($"{c.Files.Images[0]}: no label to train on");
        if (images.Size(2) != Size || images.Size(3) != Size)
        {
            images = Resize.Image(images, Size, Size, ImageInterpolation);
            labels = Resize.Label(labels, Size, Size);
        }
        return (DisposeScope.Detach(images.Contiguous()), DisposeScope.Detach(labels.Contiguous()));
    }

    /// <summary>
    /// The case's slices normalised as for training but at their own size, (D, C, H, W) float32:
    /// what inference resizes to <see cref="Size"/> or tiles with windows of it. Needs no label.
    /// </summary>
    public Tensor NormalizedSlices(LoadedCase c)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(Normalize(c.Image, ResolveNormalization(c), c.FullScale ?? 1).Transpose(0, 1));
    }

    private IntensityNormalization ResolveNormalization(LoadedCase c)
    {
        if (Normalization != IntensityNormalization.Auto) return Normalization;
        return c.Files.Storage switch
        {
            CaseStorage.Npz or CaseStorage.Hdf5 => IntensityNormalization.None,
            CaseStorage.Image2D => IntensityNormalization.ScaleBitDepth,
            _ => IntensityNormalization.ZScore,
        };
    }

    /// <summary>Normalises (C, D, H, W) per channel, with statistics over the whole case (every slice).</summary>
    private Tensor Normalize(Tensor image, IntensityNormalization mode, double fullScale)
    {
        var perChannel = image.View(image.Size(0), image.Size(1) * image.Size(2), image.Size(3));
        var normalized = mode switch
        {
            IntensityNormalization.None => perChannel,
            IntensityNormalization.ScaleBitDepth => perChannel / fullScale,
            IntensityNormalization.CtWindow => Intensity.Window(perChannel, CtWindow.Low, CtWindow.High),
            IntensityNormalization.MinMax => Intensity.MinMax(perChannel),
            IntensityNormalization.ZScore => Intensity.ZScore(perChannel),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return normalized.View(image.Shape);
    }
}
