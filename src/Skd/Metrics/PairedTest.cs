using MathNet.Numerics.Distributions;

namespace Skd.Metrics;

/// <summary>A two-sided paired test of B against A: its statistic and p-value.</summary>
public readonly record struct TestResult(double Statistic, double PValue, int Pairs);

/// <summary>
/// Paired two-sided tests of paired scores b against a (e.g. a method's per-case Dice against the
/// supervised student's on the same cases), as scipy.stats computes them (scipy 1.10, defaults):
/// <list type="bullet">
/// <item><see cref="TTest"/>: scipy.stats.ttest_rel. d = b − a; t = mean(d) / (sd(d) / √n), sd with
/// n − 1; p = 2·P(T_{n−1} ≥ |t|).</item>
/// <item><see cref="Wilcoxon"/>: scipy.stats.wilcoxon (zero_method 'wilcox': zero differences
/// dropped; mode 'auto'). Ranks of |d| (ties averaged); W = min(R+, R−). Exact null distribution of
/// R+ (2^n sign patterns, counted by dynamic programming) when n ≤ 50 with no ties and no zeros,
/// p = min(1, 2·min(P(R+ ≤ r), P(R+ ≥ r))); otherwise the normal approximation
/// z = (W − n(n+1)/4) / σ, σ² = (n(n+1)(2n+1) − ½Σ t(t²−1)) / 24 over tie groups t, without
/// continuity correction, p = 2·P(Z ≥ |z|).</item>
/// </list>
/// NaN pairs (a metric a policy skipped) are left out of both. Fewer than 2 pairs (t-test) or no
/// non-zero difference (Wilcoxon) gives a NaN p-value: there is nothing to test.
/// </summary>
public static class PairedTest
{
    public static TestResult TTest(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var d = Differences(a, b);
        int n = d.Length;
        if (n < 2) return new(double.NaN, double.NaN, n);
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        if (sd == 0) return new(mean == 0 ? double.NaN : Math.Sign(mean) * double.PositiveInfinity, mean == 0 ? double.NaN : 0, n);
        double t = mean / (sd / Math.Sqrt(n));
        return new(t, 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t)), n);
    }

    public static TestResult Wilcoxon(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var d = Differences(a, b).Where(x => x != 0).ToArray();
        bool hadZeros = d.Length != Differences(a, b).Length;
        int n = d.Length;
        if (n == 0) return new(double.NaN, double.NaN, 0);
        var (ranks, tieGroups) = Ranks(d.Select(Math.Abs).ToArray());
        double rPlus = Enumerable.Range(0, n).Where(i => d[i] > 0).Sum(i => ranks[i]);
        double rMinus = n * (n + 1) / 2.0 - rPlus;
        double w = Math.Min(rPlus, rMinus);
        if (n <= 50 && !hadZeros && tieGroups.Count == 0)
        {
            var counts = NullCounts(n);
            double total = Math.Pow(2, n);
            int r = (int)rPlus;
            double lower = counts.Take(r + 1).Sum() / total, upper = counts.Skip(r).Sum() / total;
            return new(w, Math.Min(1, 2 * Math.Min(lower, upper)), n);
        }
        double mn = n * (n + 1) / 4.0;
        double variance = (n * (n + 1.0) * (2 * n + 1) - 0.5 * tieGroups.Sum(t => t * (t * (double)t - 1))) / 24;
        double z = (w - mn) / Math.Sqrt(variance);
        return new(w, 2 * Normal.CDF(0, 1, -Math.Abs(z)), n);
    }

    private static double[] Differences(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"a paired test needs as many values on each side, got {a.Count} and {b.Count}");
        return a.Zip(b).Where(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)).Select(p => p.Second - p.First).ToArray();
    }

    /// <summary>Ranks from 1, ties given their average rank; and the sizes of the tie groups (≥ 2).</summary>
    private static (double[] Ranks, List<int> TieGroups) Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        var ties = new List<int>();
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            if (end > start) ties.Add(end - start + 1);
            start = end + 1;
        }
        return (ranks, ties);
    }

    /// <summary>How many of the 2^n sign patterns give R+ = r, for r = 0..n(n+1)/2.</summary>
    private static double[] NullCounts(int n)
    {
        var counts = new double[n * (n + 1) / 2 + 1];
        counts[0] = 1;
        for (int rank = 1; rank <= n; rank++)
            for (int r = counts.Length - 1; r >= rank; r--)
                counts[r] += counts[r - rank];
        return counts;
    }
}
