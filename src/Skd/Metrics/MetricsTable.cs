namespace Skd.Metrics;

/// <summary>
/// Per-case, per-class metrics with their NaN-aware summaries (<see cref="MetricStats"/>):
/// per class, over the cases; overall, over the cases after averaging each case over its classes
/// (NaN-aware). Without NaNs, every case scoring every class, the overall mean is the mean of
/// the per-class means: TransUNet's "mean Dice" / "mean HD95" (test.py averages each class over
/// the volumes, then the classes). Standard deviations are numpy.nanstd's (ddof = 0).
/// </summary>
public sealed class MetricsTable
{
    public MetricsTable(IEnumerable<CaseMetrics> rows, IReadOnlyList<string>? classNames = null)
    {
        Rows = rows.ToList();
        ClassNames = classNames;
        if (classNames != null && Rows.FirstOrDefault(r => r.Class < 0 || r.Class >= classNames.Count) is { } unnamed)
            throw new ArgumentException($"class {unnamed.Class} has no name among the {classNames.Count} class names");
    }

    public IReadOnlyList<CaseMetrics> Rows { get; }

    /// <summary>Names of the classes by index, when known (exports add a name column).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The classes present, ascending.</summary>
    public IReadOnlyList<int> Classes => Rows.Select(r => r.Class).Distinct().Order().ToList();

    /// <summary>Statistics per metric name (<see cref="CaseMetrics.Columns"/>) of one class over the cases.</summary>
    public IReadOnlyDictionary<string, MetricStats> ForClass(int cls) =>
        Summarise(value => Rows.Where(r => r.Class == cls).Select(value));

    /// <summary>Statistics per metric name over the cases, each case first averaged over its classes.</summary>
    public IReadOnlyDictionary<string, MetricStats> Overall() =>
        Summarise(value => Rows.GroupBy(r => r.CaseId).Select(c => MetricStats.Of(c.Select(value)).Mean));

    private static IReadOnlyDictionary<string, MetricStats> Summarise(Func<Func<CaseMetrics, double>, IEnumerable<double>> values) =>
        CaseMetrics.Columns.ToDictionary(c => c.Name, c => MetricStats.Of(values(c.Value)));
}
