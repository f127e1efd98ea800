namespace Skd.Data.Formats;

/// <summary>
/// An image's size read from its header alone (PNG, JPEG, TIFF, BMP, PNM/PAM; the format told by
/// the file's signature, as OpenCV's decoder choice is), so that <see cref="ImageFile"/> refuses an
/// image above <see cref="ReadLimits.MaxPixels"/> before OpenCV allocates its pixels.
/// </summary>
internal static class ImageHeader
{
    /// <summary>(height, width) as the header declares them.</summary>
    public static long[] Shape(string path)
    {
        if (IoNative.skd_image_dims(path, out long width, out long height) != 0) throw IoNative.LastError(path);
        return [height, width];
    }

    /// <summary>Refuses, naming the file and the limit, an image whose header declares more pixels than the limit.</summary>
    public static void CheckSize(string path) => ReadLimits.Check(path, "the header declares an image", Shape(path));
}
