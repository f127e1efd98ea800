namespace Skd.Data;

/// <summary>How the pixels of a 2-D image file become input channels: one grey channel, or three (R, G, B).</summary>
public enum ImageChannels
{
    Grey,
    Rgb,
}

/// <summary>
/// Reads 2-D image files as network input, the one way the dataset reader (<see cref="SegmentationDataset"/>)
/// and prediction (<see cref="Inference.InputFile"/>) both read them. An alpha channel is dropped. Read as
/// RGB, a grey image is repeated into R, G and B (nothing is lost: it is the colour image a grey picture
/// is). Read as grey, a colour image becomes its luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601,
/// OpenCV's COLOR_RGB2GRAY). Values stay raw (0..255 for 8-bit, 0..65535 for 16-bit files):
/// <see cref="CasePreprocessor"/> scales them by the file's <see cref="ImageFile.FullScale"/>.
/// </summary>
public static class ImageInput
{
    /// <summary>Parses a channel mode as given to <c>--channels</c>: grey (or gray) or rgb.</summary>
    public static ImageChannels Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "grey" or "gray" => ImageChannels.Grey,
        "rgb" => ImageChannels.Rgb,
        _ => throw new ArgumentException($"unknown channel mode '{name}': expected grey or rgb"),
    };

    /// <summary>The mode's name as <c>--channels</c> takes it.</summary>
    public static string Name(this ImageChannels channels) => channels == ImageChannels.Rgb ? "rgb" : "grey";

    /// <summary>How pixels (C, H, W) as <see cref="ImageFile.Read"/> returns them are stored: RGB for 3 or 4 channels, else grey (with or without alpha).</summary>
    public static ImageChannels StoredAs(Tensor pixels) => pixels.Size(0) >= 3 ? ImageChannels.Rgb : ImageChannels.Grey;

    /// <summary>Input channels per image file in a mode: 1 or 3.</summary>
    public static int Count(this ImageChannels channels) => channels == ImageChannels.Rgb ? 3 : 1;

    /// <summary>
    /// Pixels (C, H, W) as <see cref="ImageFile.Read"/> returns them, as float32 input channels (1 or 3, H, W) in
    /// <paramref name="channels"/>' mode; null: as the file stores them (alpha dropped).
    /// </summary>
    public static Tensor ToChannels(Tensor pixels, ImageChannels? channels)
    {
        using var scope = new DisposeScope();
        var stored = StoredAs(pixels);
        var colour = pixels.Narrow(0, 0, stored.Count()).Float();
        var result = (channels ?? stored, stored) switch
        {
            (ImageChannels.Rgb, ImageChannels.Grey) => colour.Expand(3, colour.Size(1), colour.Size(2)).Contiguous(),
            (ImageChannels.Grey, ImageChannels.Rgb) => (colour[0] * 0.299 + colour[1] * 0.587 + colour[2] * 0.114).Unsqueeze(0),
            _ => colour.Contiguous(),
        };
        return scope.MoveToOuter(result);
    }

    /// <summary>Reads an image file as input channels (<see cref="ToChannels"/>) with the full scale of its pixel format.</summary>
    public static (Tensor Channels, double? FullScale) Read(string path, ImageChannels? channels)
    {
        using var pixels = ImageFile.Read(path);
        return (ToChannels(pixels, channels), ImageFile.FullScale(pixels));
    }
}
