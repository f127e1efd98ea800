using ScottPlot;

namespace Skd.Reporting;

/// <summary>
/// Line charts (training curves) and bar charts with error bars (methods compared), drawn by
/// ScottPlot in <see cref="ChartFont"/> (any Unicode text: ±, μ, accents). Series take
/// matplotlib's tab10 colours in order; a legend names them. Non-finite values are left out.
/// </summary>
public static class Charts
{
    public const int DefaultWidth = 640, DefaultHeight = 420;

    /// <summary>The ten colours of matplotlib's tab10 cycle; series take them in order.</summary>
    private static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>The colour of series <paramref name="index"/> (tab10, cycling).</summary>
    public static Rgb SeriesColour(int index) => Palette[index % Palette.Length];

    /// <summary>
    /// One line per series over the positions <paramref name="x"/> (each series has a value per
    /// position), with a marker on every finite point and segments between consecutive finite points.
    /// Integer positions (epochs) get integer ticks. The value axis spans <paramref name="yLimits"/>
    /// when given (Dice: 0 to 1), else the data.
    /// </summary>
    public static Chart Line(string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<LineSeries> series,
        (double Low, double High)? yLimits = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        foreach (var s in series)
            if (s.Values.Count != x.Count) throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {x.Count} x positions");
        var plot = NewPlot(title, xLabel, yLabel);
        if (x.Where(double.IsFinite).All(v => v == Math.Round(v)))
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        for (int s = 0; s < series.Count; s++)
        {
            bool named = false;
            foreach (var run in FiniteRuns(x, series[s].Values))
            {
                var line = plot.Add.Scatter(run.Select(p => p.X).ToArray(), run.Select(p => p.Y).ToArray(), SeriesColour(s).ToScottPlot());
                (line.LineWidth, line.MarkerSize) = (2, 5);
                if (!named) line.LegendText = series[s].Name;
                named = true;
            }
        }
        if (yLimits is var (low, high)) plot.Axes.SetLimitsY(low - (high - low) * 0.02, high + (high - low) * 0.02);   // points on a limit stay whole
        if (series.Count > 0) plot.ShowLegend(Alignment.UpperRight);
        return Finish(plot, width, height);
    }

    /// <summary>
    /// Grouped bars: one group per category, one bar per series in each group, from 0 to the value,
    /// with an error bar of ±error and caps where the series gives errors.
    /// </summary>
    public static Chart Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series,
        int width = DefaultWidth, int height = DefaultHeight)
    {
        foreach (var s in series)
        {
            if (s.Values.Count != categories.Count) throw new ArgumentException($"series '{s.Name}' has {s.Values.Count} values for {categories.Count} categories");
            if (s.Errors is { } e && e.Count != categories.Count) throw new ArgumentException($"series '{s.Name}' has {e.Count} errors for {categories.Count} categories");
        }
        var plot = NewPlot(title, "", yLabel);
        double barWidth = 0.8 / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var colour = SeriesColour(s).ToScottPlot();
            var bars = Enumerable.Range(0, categories.Count).Where(c => double.IsFinite(series[s].Values[c])).Select(c => new Bar
            {
                Position = c - 0.4 + barWidth * (s + 0.5),
                Value = series[s].Values[c],
                Error = Error(series[s], c),
                Size = barWidth * 0.9,
                FillColor = colour,
                LineWidth = 1.2f,                      // the outline's and the error bar's
                LineColor = Colors.Black,
            }).ToList();
            var plotted = plot.Add.Bars(bars);
            if (series.Count > 1) plotted.LegendText = series[s].Name;   // a named series is listed in a legend
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(c => (double)c).ToArray(), categories.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (categories.Count > 4 || categories.Any(c => c.Length > 14)) plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        if (plot.Axes.Bottom.TickLabelStyle.Rotation != 0)
        {
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // ScottPlot sizes the bottom axis for unrotated labels, cutting rotated ones at the image's edge: make room for the
            // longest label's drop (its width, about 0.6 em a character, times sin 30°) and its line height.
            float em = plot.Axes.Bottom.TickLabelStyle.FontSize;
            plot.Axes.Bottom.MinimumSize = categories.Max(c => c.Length) * 0.6f * em * 0.5f + 2.5f * em;
        }
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        // Values that cannot be negative (Dice, IoU) start at 0, even when all are 0: ScottPlot would centre 0 in −1..1.
        var tops = series.SelectMany(s => s.Values.Select((v, c) => v + Error(s, c))).Where(double.IsFinite).ToList();
        if (series.All(s => s.Values.Where(double.IsFinite).All(v => v >= 0)))
            plot.Axes.SetLimitsY(0, tops.Count > 0 && tops.Max() > 0 ? tops.Max() * 1.05 : 1);
        if (series.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        return Finish(plot, width, height);
    }

    /// <summary>A white plot with a light grid, the title and the axis labels.</summary>
    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        plot.Grid.MajorLineColor = new Color(225, 225, 225);
        return plot;
    }

    /// <summary>Every text of the finished plot (title, labels, ticks, legend) in <see cref="ChartFont"/>.</summary>
    private static Chart Finish(Plot plot, int width, int height)
    {
        plot.Font.Set(ChartFont.Name);
        return new Chart(plot, width, height);
    }

    /// <summary>The runs of consecutive points where both x and the value are finite.</summary>
    private static IEnumerable<List<(double X, double Y)>> FiniteRuns(IReadOnlyList<double> x, IReadOnlyList<double> values)
    {
        var run = new List<(double X, double Y)>();
        for (int i = 0; i < x.Count; i++)
        {
            if (double.IsFinite(x[i]) && double.IsFinite(values[i])) run.Add((x[i], values[i]));
            else if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }
        if (run.Count > 0) yield return run;
    }

    private static double Error(BarSeries s, int i) => s.Errors is { } e && double.IsFinite(e[i]) ? Math.Abs(e[i]) : 0;
}
