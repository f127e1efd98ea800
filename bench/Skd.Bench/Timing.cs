using System.Diagnostics;

namespace Skd.Bench;

/// <summary>Wall-clock timing of repeated work.</summary>
internal static class Timing
{
    /// <summary>Seconds of one run of <paramref name="work"/>.</summary>
    public static double Seconds(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The median of <paramref name="repeats"/> timings of <paramref name="work"/>.</summary>
    public static double MedianSeconds(Action work, int repeats) => Median(Enumerable.Range(0, repeats).Select(_ => Seconds(work)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
