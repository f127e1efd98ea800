using Skd.Torch;
using ScottPlot;
using SkiaSharp;

namespace Skd.Reporting;

/// <summary>
/// A picture of one or more ScottPlot plots side by side, each of its own width; rendered
/// (SkiaSharp, anti-aliased, with the font of <see cref="ChartFont"/>) when encoded or saved as PNG.
/// </summary>
public sealed class Chart
{
    private readonly IReadOnlyList<(Plot Plot, int Width)> panels;

    internal Chart(Plot plot, int width, int height) : this([(plot, width)], height) { }

    private Chart(IReadOnlyList<(Plot Plot, int Width)> panels, int height)
    {
        if (panels.Any(p => p.Width < 1) || height < 1) throw new ArgumentException($"a chart needs a positive size, got {string.Join("+", panels.Select(p => p.Width))}×{height}");
        this.panels = panels;
        Height = height;
    }

    public int Width => panels.Sum(p => p.Width);
    public int Height { get; }

    /// <summary>This chart and <paramref name="right"/> side by side (the taller one's height).</summary>
    public Chart Beside(Chart right) => new([.. panels, .. right.panels], Math.Max(Height, right.Height));

    /// <summary>The chart as a PNG file's bytes.</summary>
    public byte[] EncodePng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque))
                            ?? throw new InvalidOperationException($"cannot allocate a {Width}×{Height} chart");
        surface.Canvas.Clear(SKColors.White);
        int left = 0;
        foreach (var (plot, width) in panels)
        {
            // Each plot fills its figure background over the whole canvas: clip it to its own panel.
            surface.Canvas.Save();
            surface.Canvas.ClipRect(new SKRect(left, 0, left + width, Height));
            plot.Render(surface.Canvas, new PixelRect(left, left + width, Height, 0));
            surface.Canvas.Restore();
            left += width;
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("PNG encoding of a chart failed");
        return png.ToArray();
    }

    /// <summary>Writes the chart as PNG to <paramref name="path"/> through the atomic writer (a failed write is an error, the previous file kept).</summary>
    public void Save(string path)
    {
        var bytes = EncodePng();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
