namespace Skd.Metrics;

/// <summary>
/// numpy.percentile(values, q) with its default linear interpolation (numpy ≥ 1.22, method
/// "linear"): on the sorted values v[0..n−1], the virtual index h = (n − 1)·q/100 splits into
/// i = ⌊h⌋ and γ = h − i, and the result is numpy's _lerp of v[i] and v[i+1]:
/// v[i] + (v[i+1] − v[i])·γ, computed as v[i+1] − (v[i+1] − v[i])·(1 − γ) when γ ≥ 0.5.
/// </summary>
public static class Percentile
{
    /// <summary>Sorts <paramref name="values"/> in place; NaN for none.</summary>
    public static double Linear(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        double h = (values.Length - 1) * (q / 100);
        int i = (int)Math.Floor(h);
        if (i >= values.Length - 1) return values[^1];
        double gamma = h - i, a = values[i], b = values[i + 1], diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
