using System.Globalization;

namespace Skd.Reporting;

/// <summary>
/// What line and bar charts share: the canvas, the title, the plot area with its value axis
/// (rounded ticks of 1, 2 or 5 × 10^k, grid lines, labels) and the legend.
/// </summary>
internal sealed class ChartFrame
{
    private const int Left = 72, Right = 16, Top = 36, Bottom = 52;
    private const double TickScale = 0.4, LabelScale = 0.45, TitleScale = 0.55;

    public ChartFrame(int width, int height, string title, string yLabel, (double Low, double High) yRange)
    {
        if (width < Left + Right + 40 || height < Top + Bottom + 40)
            throw new ArgumentException($"a chart needs at least {Left + Right + 40}×{Top + Bottom + 40} pixels, got {width}×{height}");
        Image = new RgbImage(width, height, Rgb.White);
        (PlotLeft, PlotRight, PlotTop, PlotBottom) = (Left, width - Right, Top, height - Bottom);
        YTicks = NiceTicks(yRange.Low, yRange.High);
        (YLow, YHigh) = (Math.Min(yRange.Low, YTicks[0]), Math.Max(yRange.High, YTicks[^1]));
        var (titleWidth, _, _) = RgbImage.TextSize(title, TitleScale, 1);
        Image.Text(title, Math.Max(4, (width - titleWidth) / 2), 22, Rgb.Black, TitleScale);
        foreach (double tick in YTicks)
        {
            int y = MapY(tick);
            Image.Line(PlotLeft, y, PlotRight, y, Rgb.LightGrey);
            string label = Format(tick);
            var (w, h, _) = RgbImage.TextSize(label, TickScale);
            Image.Text(label, PlotLeft - 6 - w, y + h / 2, Rgb.Black, TickScale);
        }
        Image.Text(yLabel, 4, PlotTop - 8, Rgb.Black, LabelScale);
    }

    public RgbImage Image { get; }
    public int PlotLeft { get; }
    public int PlotRight { get; }
    public int PlotTop { get; }
    public int PlotBottom { get; }
    public double YLow { get; }
    public double YHigh { get; }
    public IReadOnlyList<double> YTicks { get; }

    /// <summary>The ten colours of matplotlib's tab10 cycle; series take them in order.</summary>
    public static readonly IReadOnlyList<Rgb> Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    public static Rgb Colour(int series) => Palette[series % Palette.Count];

    public int MapY(double value) => (int)Math.Round(PlotBottom - (value - YLow) / (YHigh - YLow) * (PlotBottom - PlotTop));

    /// <summary>A label under the plot area, centred on x.</summary>
    public void XTickLabel(string label, int x)
    {
        var (w, h, _) = RgbImage.TextSize(label, TickScale);
        Image.Line(x, PlotBottom, x, PlotBottom + 4, Rgb.Black);
        Image.Text(label, x - w / 2, PlotBottom + 8 + h, Rgb.Black, TickScale);
    }

    /// <summary>The axis lines and the x-axis title; drawn last, over the data.</summary>
    public void Finish(string xLabel)
    {
        Image.Line(PlotLeft, PlotTop, PlotLeft, PlotBottom, Rgb.Black);
        Image.Line(PlotLeft, PlotBottom, PlotRight, PlotBottom, Rgb.Black);
        var (w, _, _) = RgbImage.TextSize(xLabel, LabelScale);
        Image.Text(xLabel, (PlotLeft + PlotRight - w) / 2, Image.Height - 8, Rgb.Black, LabelScale);
    }

    /// <summary>A box in the plot's top-right corner naming each series by its colour.</summary>
    public void Legend(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return;
        var sizes = names.Select(n => RgbImage.TextSize(n, TickScale)).ToList();
        int rowHeight = sizes.Max(s => s.Height + s.Descent) + 6, textWidth = sizes.Max(s => s.Width);
        int boxRight = PlotRight - 6, boxLeft = boxRight - textWidth - 34, boxTop = PlotTop + 6, boxBottom = boxTop + rowHeight * names.Count + 6;
        Image.Rectangle(boxLeft, boxTop, boxRight, boxBottom, Rgb.White);
        Image.Rectangle(boxLeft, boxTop, boxRight, boxBottom, Rgb.Grey, thickness: 1);
        for (int i = 0; i < names.Count; i++)
        {
            int baseline = boxTop + 6 + rowHeight * (i + 1) - 6;
            Image.Rectangle(boxLeft + 6, baseline - 9, boxLeft + 22, baseline - 1, Colour(i));
            Image.Text(names[i], boxLeft + 28, baseline, Rgb.Black, TickScale);
        }
    }

    /// <summary>About five round tick values (1, 2 or 5 × 10^k apart, at least <paramref name="minStep"/>) covering [low, high].</summary>
    public static IReadOnlyList<double> NiceTicks(double low, double high, double minStep = 0)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) (low, high) = (0, 1);
        if (high <= low) (low, high) = low == 0 ? (0, 1) : (low - Math.Abs(low) * 0.5, high + Math.Abs(high) * 0.5);
        double raw = (high - low) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = Math.Max(minStep, new[] { 1.0, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw));
        double first = Math.Floor(low / step) * step, last = Math.Ceiling(high / step) * step;
        int count = (int)Math.Round((last - first) / step);
        return Enumerable.Range(0, count + 1).Select(i => Math.Round(first + i * step, 12)).ToList();
    }

    public static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
