namespace Skd.Data.Transforms;

/// <summary>
/// Resizing of the last two dimensions (H, W) to a fixed size: images by interpolation, label maps
/// by nearest neighbour. The Synapse protocol (TransUNet) trains at 224 × 224 with images resized
/// cubic and labels nearest, and resizes predictions back nearest.
/// </summary>
public static class Resize
{
    /// <summary>
    /// Resizes images (H, W), (C, H, W) or (N, C, H, W) with F.interpolate(size=(height, width),
    /// mode, align_corners=False). Integer images are converted to float32. Bicubic can overshoot
    /// the input range, as in PyTorch. (TransUNet resizes with scipy.ndimage.zoom, order=3: a cubic
    /// spline on a corner-aligned grid, so its values differ slightly.)
    /// </summary>
    public static Tensor Image(Tensor t, long height, long width, InterpolationMode mode = InterpolationMode.Bilinear)
    {
        if (t.Dim is < 2 or > 4) throw new ArgumentException($"Resize.Image expects (H, W), (C, H, W) or (N, C, H, W), got [{string.Join(", ", t.Shape)}]");
        using var scope = new DisposeScope();
        var x = t.DType.IsFloatingPoint() ? t : t.Float();
        var nchw = x.Dim switch { 2 => x.Unsqueeze(0).Unsqueeze(0), 3 => x.Unsqueeze(0), _ => x };
        var resized = F.Interpolate(nchw, (height, width), mode);
        long[] shape = [.. t.Shape[..^2], height, width];
        return scope.MoveToOuter(resized.Reshape(shape));
    }

    /// <summary>
    /// Resizes label maps (…, H, W) of any dtype by nearest neighbour, exactly as
    /// F.interpolate(mode='nearest'): output index i reads input index
    /// min(floor(i · (float)in / out), in − 1), computed in float32 as libtorch does. Done by
    /// indexing, so the values (and dtype) are copied, never converted.
    /// </summary>
    public static Tensor Label(Tensor labels, long height, long width)
    {
        if (labels.Dim < 2) throw new ArgumentException($"Resize.Label expects (..., H, W), got [{string.Join(", ", labels.Shape)}]");
        using var scope = new DisposeScope();
        var rows = NearestSource(labels.Size(-2), height).To(labels.Device);
        var cols = NearestSource(labels.Size(-1), width).To(labels.Device);
        return scope.MoveToOuter(labels.IndexSelect(-2, rows).IndexSelect(-1, cols));
    }

    /// <summary>libtorch's nearest_neighbor_compute_source_index (UpSample.h), with its float32 scale.</summary>
    private static Tensor NearestSource(long input, long output)
    {
        if (output < 1) throw new ArgumentOutOfRangeException(nameof(output), output, "the output size must be positive");
        float scale = (float)input / output;
        var index = new long[output];
        for (long i = 0; i < output; i++) index[i] = Math.Min((long)MathF.Floor(i * scale), input - 1);
        return Tensor.From(index);
    }
}
