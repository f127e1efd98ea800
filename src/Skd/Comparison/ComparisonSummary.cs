namespace Skd.Comparison;

/// <summary>
/// Turns the runs of a comparison into one <see cref="MethodSummary"/> per (method, width), in the
/// order the methods first appear, each tested against <c>baseline</c> (the plain student,
/// <c>supervised</c>) of the same width: the question every paper answers — does the method beat
/// the plain student? Pairs are the test cases, each case's Dice averaged over the seeds; a
/// two-sided paired t-test and Wilcoxon signed-rank test (<see cref="PairedTest"/>).
/// </summary>
public static class ComparisonSummary
{
    public static IReadOnlyList<MethodSummary> Summarise(IReadOnlyList<RunOutcome> runs, string baseline = "supervised") =>
        runs.GroupBy(r => (r.Method, r.Width)).Select(g => Summarise(g.ToList(), runs, baseline)).ToList();

    private static MethodSummary Summarise(IReadOnlyList<RunOutcome> group, IReadOnlyList<RunOutcome> all, string baseline)
    {
        var first = group[0];
        var metrics = CaseMetrics.Columns.ToDictionary(c => c.Name, c => MetricStats.Of(group.Select(r => r.Test.Overall()[c.Name].Mean)));
        var reference = all.Where(r => r.Method == baseline && r.Width == first.Width).ToList();
        BaselineComparison? versus = null;
        if (first.Method != baseline && reference.Count > 0)
        {
            var mine = CaseMeans(group);
            var theirs = CaseMeans(reference);
            var cases = mine.Keys.Intersect(theirs.Keys).Order(StringComparer.Ordinal).ToList();
            var a = cases.Select(c => theirs[c]).ToList();
            var b = cases.Select(c => mine[c]).ToList();
            double difference = MetricStats.Of(b.Zip(a, (x, y) => x - y)).Mean;
            versus = new BaselineComparison(baseline, difference, PairedTest.TTest(a, b), PairedTest.Wilcoxon(a, b));
        }
        return new MethodSummary(first.Method, first.Width, group.Count, metrics, first.Parameters, first.Macs,
            group.Average(r => r.TrainSeconds), versus);
    }

    /// <summary>Per test case, its Dice averaged over the runs (seeds).</summary>
    private static Dictionary<string, double> CaseMeans(IReadOnlyList<RunOutcome> runs) =>
        runs.SelectMany(r => r.PerCase("dice")).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => MetricStats.Of(g.Select(kv => kv.Value)).Mean);
}
