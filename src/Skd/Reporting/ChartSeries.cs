namespace Skd.Reporting;

/// <summary>One line of a line chart: a value per x position (NaN: no point there; the line breaks).</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> Values);

/// <summary>
/// One series of a bar chart: a value per category, drawn as one bar per category in the series'
/// colour, with an error bar of ±<see cref="Errors"/> (a standard deviation, say) where given and finite.
/// </summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Errors = null);
