namespace Skd.Reporting;

/// <summary>
/// Line charts (training curves) and bar charts with error bars (methods compared), drawn by
/// OpenCV into an <see cref="RgbImage"/> (save it as PNG). Series take matplotlib's tab10 colours
/// in order; a legend names them. Non-finite values are left out.
/// </summary>
public static class Charts
{
    public const int DefaultWidth = 640, DefaultHeight = 420;

    /// <summary>The colour of series <paramref name="index"/> (tab10, cycling).</summary>
    public static Rgb SeriesColour(int index) => ChartFrame.Colour(index);

    /// <summary>
    /// One line per series over the positions <paramref name="x"/> (each series has a value per
    /// position), with a marker on every finite point and segments between consecutive finite points.
    /// Integer positions (epochs) get integer ticks.
    /// </summary>
    public static RgbImage Line(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<LineSeries> series,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        foreach (var s in series)
            if (s.Values.Count != x.Count) throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {x.Count} x positions");
        var frame = new ChartFrame(width, height, title, yLabel, Range(series.SelectMany(s => s.Values)));
        var finiteX = x.Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var xTicks = ChartFrame.NiceTicks(finiteX.Min(), finiteX.Max(), minStep: finiteX.All(v => v == Math.Round(v)) ? 1 : 0);
        double xLow = xTicks[0], xHigh = xTicks[^1];
        int MapX(double v) => (int)Math.Round(frame.PlotLeft + 8 + (v - xLow) / (xHigh - xLow) * (frame.PlotRight - frame.PlotLeft - 16));
        foreach (double tick in xTicks) frame.XTickLabel(ChartFrame.Format(tick), MapX(tick));
        for (int s = 0; s < series.Count; s++)
        {
            var colour = ChartFrame.Colour(s);
            (int X, int Y)? previous = null;
            for (int i = 0; i < x.Count; i++)
            {
                double v = series[s].Values[i];
                if (!double.IsFinite(v) || !double.IsFinite(x[i]))
                {
                    previous = null;
                    continue;
                }
                var point = (X: MapX(x[i]), Y: frame.MapY(v));
                if (previous is { } p) frame.Image.Line(p.X, p.Y, point.X, point.Y, colour, 2);
                frame.Image.Rectangle(point.X - 2, point.Y - 2, point.X + 2, point.Y + 2, colour);
                previous = point;
            }
        }
        frame.Legend(series.Select(s => s.Name).ToList());
        frame.Finish(xLabel);
        return frame.Image;
    }

    /// <summary>
    /// Grouped bars: one group per category, one bar per series in each group, from 0 (or the axis
    /// floor) to the value, with a black error bar of ±error and caps where the series gives errors.
    /// </summary>
    public static RgbImage Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        foreach (var s in series)
        {
            if (s.Values.Count != categories.Count) throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {categories.Count} categories");
            if (s.Errors is { } e && e.Count != categories.Count) throw new ArgumentException($"series '{s.Name}' has {e.Count} errors for {categories.Count} categories");
        }
        var extremes = series.SelectMany(s => s.Values.Select((v, i) => (v, e: Error(s, i))))
            .SelectMany(p => new[] { p.v - p.e, p.v + p.e }).Append(0);
        var frame = new ChartFrame(width, height, title, yLabel, Range(extremes, pad: false));
        double groupWidth = (frame.PlotRight - frame.PlotLeft) / (double)Math.Max(1, categories.Count);
        double barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
        int zero = frame.MapY(Math.Clamp(0, frame.YLow, frame.YHigh));
        for (int c = 0; c < categories.Count; c++)
        {
            double groupLeft = frame.PlotLeft + c * groupWidth + groupWidth * 0.1;
            frame.XTickLabel(categories[c], (int)Math.Round(frame.PlotLeft + (c + 0.5) * groupWidth));
            for (int s = 0; s < series.Count; s++)
            {
                double v = series[s].Values[c];
                if (!double.IsFinite(v)) continue;
                int left = (int)Math.Round(groupLeft + s * barWidth), right = (int)Math.Round(groupLeft + (s + 1) * barWidth) - 2;
                int top = frame.MapY(v);
                frame.Image.Rectangle(left, Math.Min(top, zero), Math.Max(left, right), Math.Max(top, zero), ChartFrame.Colour(s));
                double e = Error(series[s], c);
                if (e > 0)
                {
                    int middle = (left + right) / 2, cap = Math.Max(2, (right - left) / 4);
                    int high = frame.MapY(v + e), low = frame.MapY(v - e);
                    frame.Image.Line(middle, high, middle, low, Rgb.Black, 1);
                    frame.Image.Line(middle - cap, high, middle + cap, high, Rgb.Black, 1);
                    frame.Image.Line(middle - cap, low, middle + cap, low, Rgb.Black, 1);
                }
            }
        }
        if (series.Count > 1) frame.Legend(series.Select(s => s.Name).ToList());
        frame.Finish("");
        return frame.Image;
    }

    private static double Error(BarSeries s, int i) => s.Errors is { } e && double.IsFinite(e[i]) && double.IsFinite(s.Values[i]) ? Math.Abs(e[i]) : 0;

    /// <summary>The finite values' range, widened by 5% on each side when <paramref name="pad"/>.</summary>
    private static (double Low, double High) Range(IEnumerable<double> values, bool pad = true)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return (0, 1);
        double low = finite.Min(), high = finite.Max(), margin = pad ? (high - low) * 0.05 : 0;
        return (low - margin, high + margin);
    }
}
