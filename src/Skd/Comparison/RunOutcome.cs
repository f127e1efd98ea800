namespace Skd.Comparison;

/// <summary>One trained run of a comparison: which method, width and seed, its size and cost, and its test metrics.</summary>
public sealed record RunOutcome(string Method, int Width, int Seed, long Parameters, long Macs, double TrainSeconds, MetricsTable Test)
{
    /// <summary>Each test case's score for <paramref name="metric"/>, averaged over the case's classes (NaN-aware).</summary>
    public IReadOnlyDictionary<string, double> PerCase(string metric)
    {
        var value = CaseMetrics.Columns.First(c => c.Name == metric).Value;
        return Test.Rows.GroupBy(r => r.CaseId).ToDictionary(g => g.Key, g => MetricStats.Of(g.Select(value)).Mean);
    }
}
