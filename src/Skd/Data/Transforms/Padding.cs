namespace Skd.Data.Transforms;

/// <summary>
/// Pixels added to each side of the last two dimensions (H, W): positive pads, negative crops, as
/// the (left, right, top, bottom) of F.pad in constant mode. <see cref="PadCrop.ToMultiple"/>
/// returns one, so that a prediction made on the padded image is cropped back with
/// <see cref="Remove"/>.
/// </summary>
public readonly record struct Padding(long Top, long Bottom, long Left, long Right)
{
    /// <summary>
    /// The centred change from (height, width) to (targetHeight, targetWidth): the odd pixel goes
    /// to the end (bottom, right) both when padding and when cropping, so a crop undoes a pad. The
    /// pad split is MONAI's SpatialPad (method "symmetric") and nnU-Net's pad_nd_image.
    /// </summary>
    public static Padding Centred(long height, long width, long targetHeight, long targetWidth)
    {
        long dh = targetHeight - height, dw = targetWidth - width;
        // Integer division truncates towards zero: the smaller half goes first for either sign.
        return new Padding(dh / 2, dh - dh / 2, dw / 2, dw - dw / 2);
    }

    /// <summary>Pads (with <paramref name="value"/>) or crops <paramref name="t"/> (…, H, W); a new tensor.</summary>
    public Tensor Apply(Tensor t, double value = 0) => F.Pad(t, [Left, Right, Top, Bottom], PaddingMode.Constant, value);

    /// <summary>Undoes <see cref="Apply"/> on a tensor (…, H', W') of the padded size, e.g. logits (N, K, H', W').</summary>
    public Tensor Remove(Tensor t) => F.Pad(t, [-Left, -Right, -Top, -Bottom]);
}
