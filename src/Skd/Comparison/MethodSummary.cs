namespace Skd.Comparison;

/// <summary>
/// One row of a comparison: a method at one width over its seeds. <see cref="Metrics"/>: per metric,
/// the mean and standard deviation over seeds of each run's overall test score (ddof 0, as
/// numpy.std). <see cref="VersusBaseline"/>: the paired tests of the per-case Dice (each case averaged
/// over seeds) against the baseline of the same width, null for the baseline itself or when it is
/// missing.
/// </summary>
public sealed record MethodSummary(
    string Method, int Width, int Seeds, IReadOnlyDictionary<string, MetricStats> Metrics,
    long Parameters, long Macs, double TrainSeconds, BaselineComparison? VersusBaseline);

/// <summary>Mean per-case Dice difference (method − baseline) and the two paired tests on it.</summary>
public sealed record BaselineComparison(string Baseline, double DiceDifference, TestResult TTest, TestResult Wilcoxon);
