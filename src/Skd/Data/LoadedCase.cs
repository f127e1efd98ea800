namespace Skd.Data;

/// <summary>
/// A case in memory: <see cref="Image"/> float32 (C, D, H, W) with raw intensities (D = 1 for a 2-D
/// case), <see cref="Label"/> int64 (D, H, W) with values in 0..K−1 (null when unlabelled),
/// <see cref="Spacing"/> in millimetres as (x, y, z), for 2-D image files the full scale of their
/// pixel format, and for NIfTI cases the source header, so predictions are written back with the input's geometry.
/// </summary>
public sealed class LoadedCase : IDisposable
{
    public required CaseFiles Files { get; init; }
    public required Tensor Image { get; init; }
    public Tensor? Label { get; init; }
    public double[] Spacing { get; init; } = [1, 1, 1];
    public Volume? Geometry { get; init; }
    /// <summary>The largest value of the image files' pixel format (255 for 8-bit, 65535 for 16-bit); null for volumes, arrays and floating-point images.</summary>
    public double? FullScale { get; init; }

    public bool IsVolume => Files.IsVolume;
    public long Depth => Image.Size(1);

    public void Dispose()
    {
        Image.Dispose();
        Label?.Dispose();
        Geometry?.Dispose();
    }
}
