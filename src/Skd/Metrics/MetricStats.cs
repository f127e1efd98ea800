namespace Skd.Metrics;

/// <summary>
/// NaN-aware statistics of one metric (numpy.nanmean, numpy.nanstd with ddof = 0): the mean and
/// population standard deviation of the non-NaN values, and how many there were (NaN and NaN
/// for none).
/// </summary>
public readonly record struct MetricStats(double Mean, double Std, int Count)
{
    public static MetricStats Of(IEnumerable<double> values)
    {
        var kept = values.Where(v => !double.IsNaN(v)).ToArray();
        if (kept.Length == 0) return new(double.NaN, double.NaN, 0);
        double mean = kept.Average();
        return new(mean, Math.Sqrt(kept.Sum(v => (v - mean) * (v - mean)) / kept.Length), kept.Length);
    }
}
