namespace Skd.Data.Formats;

/// <summary>
/// Colour overlays of a label map on an image, for looking at predictions: every labelled pixel
/// is blended with its class colour (background left as is), as ITK-SNAP and 3D Slicer show them.
/// </summary>
public static class Overlay
{
    /// <summary>Class colours (RGB) for classes 1, 2, ...: distinct, saturated, in a fixed order; class 0 has none.</summary>
    public static readonly (byte R, byte G, byte B)[] Colours =
    [
        (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48), (145, 30, 180), (70, 240, 240),
        (240, 50, 230), (210, 245, 60), (250, 190, 212), (0, 128, 128), (220, 190, 255), (170, 110, 40), (255, 250, 200),
    ];

    /// <summary>
    /// An RGB uint8 (3, H, W) overlay of <paramref name="labels"/> (H, W) on <paramref name="image"/>
    /// ((H, W) or (C, H, W); C = 1 or 3; any intensity range, min-max scaled for display), blended
    /// with opacity <paramref name="alpha"/>.
    /// </summary>
    public static Tensor Render(Tensor image, Tensor labels, double alpha = 0.5)
    {
        using var scope = new DisposeScope();
        var chw = image.Dim == 2 ? image.Unsqueeze(0) : image;
        if (chw.Dim != 3 || chw.Size(0) is not (1 or 3))
            throw new ArgumentException($"an overlay needs an (H, W) or (C, H, W) image with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
        if (labels.Dim != 2 || labels.Size(0) != chw.Size(1) || labels.Size(1) != chw.Size(2))
            throw new ArgumentException($"labels [{string.Join(", ", labels.Shape)}] do not match the image's {chw.Size(1)}×{chw.Size(2)}");
        var grey = chw.Float();
        var low = grey.Min();
        var range = (grey.Max() - low).ClampMin(1e-8);
        var rgb = ((grey - low) / range * 255).Expand(3, chw.Size(1), chw.Size(2));
        var classes = labels.Long();
        long maxLabel = classes.NumElements == 0 ? 0 : classes.Max().Item<long>();
        var palette = new float[(maxLabel + 1) * 3];
        for (long k = 1; k <= maxLabel; k++)
        {
            var c = Colours[(k - 1) % Colours.Length];
            (palette[k * 3], palette[k * 3 + 1], palette[k * 3 + 2]) = (c.R, c.G, c.B);
        }
        var colour = Tensor.From(palette, maxLabel + 1, 3).IndexSelect(0, classes.Flatten()).T2D(classes.Size(0), classes.Size(1));
        var labelled = classes.Gt(0).Unsqueeze(0);
        var blended = torch.Where(labelled, rgb * (1 - alpha) + colour * alpha, rgb);
        return scope.MoveToOuter(blended.Round().Clamp(0, 255).To(DType.UInt8));
    }

    /// <summary>(H·W, 3) colours to (3, H, W).</summary>
    private static Tensor T2D(this Tensor colours, long height, long width) => colours.Transpose(0, 1).Reshape(3, height, width);

    /// <summary>Renders and writes the overlay as an image file (PNG by extension).</summary>
    public static void Write(string path, Tensor image, Tensor labels, double alpha = 0.5)
    {
        using var overlay = Render(image, labels, alpha);
        ImageFile.Write(path, overlay);
    }
}
