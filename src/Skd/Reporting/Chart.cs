using ScottPlot;
using SkiaSharp;

namespace Skd.Reporting;

/// <summary>
/// A picture of one or more ScottPlot plots laid out in rows, each panel of its own size; rendered
/// (SkiaSharp, anti-aliased, with the font of <see cref="ChartFont"/>) when encoded or saved as PNG.
/// </summary>
public sealed class Chart
{
    private readonly IReadOnlyList<Panel> panels;

    private sealed record Panel(Plot Plot, int Left, int Top, int Width, int Height);

    internal Chart(Plot plot, int width, int height) : this([new Panel(plot, 0, 0, width, height)]) { }

    private Chart(IReadOnlyList<Panel> panels)
    {
        if (panels.Any(p => p.Width < 1 || p.Height < 1))
            throw new ArgumentException($"a chart needs a positive size, got {string.Join(", ", panels.Select(p => $"{p.Width}×{p.Height}"))}");
        this.panels = panels;
    }

    public int Width => panels.Max(p => p.Left + p.Width);
    public int Height => panels.Max(p => p.Top + p.Height);

    /// <summary>This chart and <paramref name="right"/> side by side, tops aligned.</summary>
    public Chart Beside(Chart right) => new([.. panels, .. right.panels.Select(p => p with { Left = p.Left + Width })]);

    /// <summary>This chart with <paramref name="below"/> under it, left edges aligned.</summary>
    public Chart Above(Chart below) => new([.. panels, .. below.panels.Select(p => p with { Top = p.Top + Height })]);

    /// <summary>The chart as a PNG file's bytes.</summary>
    public byte[] EncodePng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque))
                            ?? throw new InvalidOperationException($"cannot allocate a {Width}×{Height} chart");
        surface.Canvas.Clear(SKColors.White);
        foreach (var (plot, left, top, width, height) in panels)
        {
            // Each plot fills its figure background over the whole canvas: clip it to its own panel.
            surface.Canvas.Save();
            surface.Canvas.ClipRect(new SKRect(left, top, left + width, top + height));
            plot.Render(surface.Canvas, new PixelRect(left, left + width, top + height, top));
            surface.Canvas.Restore();
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
