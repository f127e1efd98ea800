namespace Skd.Data.Transforms;

/// <summary>
/// Centred padding and cropping of the last two dimensions (H, W) of images or label maps, as
/// MONAI's ResizeWithPadOrCrop and SpatialPad (method "symmetric"); see <see cref="Padding.Centred"/>
/// for where the odd pixel goes. Results are new tensors of the input's dtype.
/// </summary>
public static class PadCrop
{
    /// <summary>Pads with <paramref name="padValue"/> or crops, centred, each of H and W to the given size.</summary>
    public static Tensor ToSize(Tensor t, long height, long width, double padValue = 0)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"the size must be positive, got {height} x {width}");
        return Padding.Centred(t.Size(-2), t.Size(-1), height, width).Apply(t, padValue);
    }

    /// <summary>
    /// Pads H and W, centred, up to the next multiples of <paramref name="multiple"/>, as a U-Net
    /// with d poolings needs (multiple = 2^d; nnU-Net pads to its network's divisibility the same
    /// way). Returns the padding too: <c>padding.Remove(prediction)</c> crops a prediction back.
    /// </summary>
    public static (Tensor Padded, Padding Padding) ToMultiple(Tensor t, long multiple, double padValue = 0)
    {
        if (multiple < 1) throw new ArgumentOutOfRangeException(nameof(multiple), multiple, "the multiple must be positive");
        long h = t.Size(-2), w = t.Size(-1);
        var padding = Padding.Centred(h, w, RoundUp(h, multiple), RoundUp(w, multiple));
        return (padding.Apply(t, padValue), padding);
    }

    private static long RoundUp(long size, long multiple) => (size + multiple - 1) / multiple * multiple;
}
