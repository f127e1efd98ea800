namespace Skd.Data.Formats;

/// <summary>
/// 2-D images through OpenCV's imgcodecs: PNG, JPEG, TIFF, BMP, PGM/PPM; grey, RGB or RGBA; 8 or
/// 16 bit. Read as a (C, H, W) tensor: uint8 for 8-bit, int32 for 16-bit (libtorch has no
/// uint16), float32 for floating-point TIFF. Channels in RGB order.
/// </summary>
public static class ImageFile
{
    /// <summary>File extensions this reader recognises, lower case with the dot.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>
    {
        ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pgm", ".ppm", ".pbm", ".pnm",
    };

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// The largest value of the pixel format <see cref="Read"/> returned <paramref name="pixels"/> in:
    /// 255 for 8-bit (uint8), 65535 for 16-bit (int32); null for floating point, which has no bit depth.
    /// </summary>
    public static double? FullScale(Tensor pixels) => pixels.DType switch
    {
        DType.UInt8 => byte.MaxValue,
        DType.Int32 => ushort.MaxValue,
        _ => null,
    };

    public static unsafe Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        ImageHeader.CheckSize(path);
        IntPtr image = IoNative.skd_image_read(path);
        if (image == IntPtr.Zero) throw IoNative.LastError(path);
        try
        {
            IoNative.skd_image_info(image, out int h, out int w, out int c, out int depth);
            var data = (byte*)IoNative.skd_image_data(image);
            var element = depth switch
            {
                1 => RawElement.UInt8,
                2 => RawElement.UInt16,
                4 => RawElement.Float32,
                _ => throw new DataFormatException($"{path}: unsupported pixel depth of {depth} bytes"),
            };
            Tensor hwc = RawArrays.ToTensor(new ReadOnlySpan<byte>(data, h * w * c * depth), element, [h, w, c]);
            using (hwc) return hwc.Permute(2, 0, 1).Contiguous();
        }
        finally
        {
            IoNative.skd_image_free(image);
        }
    }

    /// <summary>
    /// Writes a (C, H, W) or (H, W) tensor (C = 1, 3 or 4): uint8 as 8-bit, int32/int64 as 16-bit
    /// (values must fit 0..65535), float32 as floating point (TIFF only). Format from the extension.
    /// Encoded in memory, then written through <see cref="AtomicFile"/>: a full disk is an error and
    /// leaves any previous file whole.
    /// </summary>
    public static void Write(string path, Tensor image)
    {
        byte[] encoded = Encode(path, image);
        AtomicFile.Write(path, stream => stream.Write(encoded));
    }

    private static unsafe byte[] Encode(string path, Tensor image)
    {
        using var scope = new DisposeScope();
        var chw = image.Dim == 2 ? image.Unsqueeze(0) : image;
        if (chw.Dim != 3 || chw.Size(0) is not (1 or 3 or 4))
            throw new ArgumentException($"{path}: an image to write must be (H, W) or (C, H, W) with C = 1, 3 or 4, got [{string.Join(", ", image.Shape)}]");
        var hwc = chw.Permute(1, 2, 0).Contiguous().Cpu();
        int h = (int)hwc.Size(0), w = (int)hwc.Size(1), c = (int)hwc.Size(2);
        string extension = Path.GetExtension(path);
        int status;
        byte* bytes;
        long size;
        switch (hwc.DType)
        {
            case DType.UInt8:
                fixed (byte* p = hwc.ToArray<byte>()) status = IoNative.skd_image_encode(extension, p, h, w, c, 1, out bytes, out size);
                break;
            case DType.Int32 or DType.Int64:
                if (hwc.Lt(0).Any().Item<bool>() || hwc.Gt(65535).Any().Item<bool>())
                    throw new ArgumentException($"{path}: 16-bit image values must lie in 0..65535");
                var pixels = hwc.To(DType.Int32).ToArray<int>().Select(v => (ushort)v).ToArray();
                fixed (ushort* p = pixels) status = IoNative.skd_image_encode(extension, p, h, w, c, 2, out bytes, out size);
                break;
            case DType.Float32:
                fixed (float* p = hwc.ToArray<float>()) status = IoNative.skd_image_encode(extension, p, h, w, c, 4, out bytes, out size);
                break;
            default:
                throw new ArgumentException($"{path}: cannot write a {hwc.DType.Name()} image (use uint8, int32 or float32)");
        }
        if (status != 0) throw IoNative.LastError(path);
        try
        {
            return new ReadOnlySpan<byte>(bytes, checked((int)size)).ToArray();
        }
        finally
        {
            IoNative.skd_io_free(bytes);
        }
    }
}
