using Skd.Data.Formats;
using Skd.Torch;

namespace Skd.Reporting;

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Grey = new(128, 128, 128);
    public static readonly Rgb LightGrey = new(225, 225, 225);
}

/// <summary>
/// An RGB picture in memory (row-major, interleaved, 8 bits per channel) that OpenCV's imgproc
/// draws on (anti-aliased lines, rectangles, Hershey-simplex text: ASCII only, other characters
/// come out as '?'), saved through <see cref="ImageFile.Write"/> (PNG by the extension).
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, Rgb background)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"an image needs a positive size, got {width}×{height}");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        for (int i = 0; i < Pixels.Length; i += 3) (Pixels[i], Pixels[i + 1], Pixels[i + 2]) = (background.R, background.G, background.B);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major, three bytes (R, G, B) per pixel.</summary>
    public byte[] Pixels { get; }

    public Rgb this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return new Rgb(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    public unsafe void Line(int x0, int y0, int x1, int y1, Rgb colour, int thickness = 1)
    {
        fixed (byte* p = Pixels) DrawNative.Check(DrawNative.skd_draw_line(p, Height, Width, x0, y0, x1, y1, colour.R, colour.G, colour.B, thickness), "a line");
    }

    /// <summary>The rectangle with corners (x0, y0) and (x1, y1), both included; <paramref name="thickness"/> -1 fills it.</summary>
    public unsafe void Rectangle(int x0, int y0, int x1, int y1, Rgb colour, int thickness = -1)
    {
        fixed (byte* p = Pixels) DrawNative.Check(DrawNative.skd_draw_rectangle(p, Height, Width, x0, y0, x1, y1, colour.R, colour.G, colour.B, thickness), "a rectangle");
    }

    /// <summary>Text whose baseline starts at (x, y).</summary>
    public unsafe void Text(string text, int x, int y, Rgb colour, double scale = 0.45, int thickness = 1)
    {
        fixed (byte* p = Pixels) DrawNative.Check(DrawNative.skd_draw_text(p, Height, Width, text, x, y, scale, colour.R, colour.G, colour.B, thickness), "text");
    }

    /// <summary>Width, height above the baseline and descent below it of <paramref name="text"/> as <see cref="Text"/> draws it.</summary>
    public static (int Width, int Height, int Descent) TextSize(string text, double scale = 0.45, int thickness = 1)
    {
        DrawNative.Check(DrawNative.skd_text_size(text, scale, thickness, out int w, out int h, out int baseline), "text");
        return (w, h, baseline);
    }

    /// <summary>This image and <paramref name="right"/> side by side, top-aligned, on <paramref name="background"/>.</summary>
    public RgbImage Beside(RgbImage right, Rgb background)
    {
        var joined = new RgbImage(Width + right.Width, Math.Max(Height, right.Height), background);
        joined.Paste(this, 0);
        joined.Paste(right, Width);
        return joined;
    }

    private void Paste(RgbImage image, int left)
    {
        for (int y = 0; y < image.Height; y++)
            Array.Copy(image.Pixels, y * image.Width * 3, Pixels, (y * Width + left) * 3, image.Width * 3);
    }

    /// <summary>Writes the image; the format follows the extension (PNG for .png).</summary>
    public void Save(string path)
    {
        using var scope = new DisposeScope();
        ImageFile.Write(path, Tensor.From(Pixels, Height, Width, 3).Permute(2, 0, 1));
    }
}
