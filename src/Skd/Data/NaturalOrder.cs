using System.Text.RegularExpressions;

namespace Skd.Data;

/// <summary>Orders names with their numbers compared as numbers: 2 before 10 (case ids of DCA1 and friends).</summary>
public sealed partial class NaturalOrder : IComparer<string?>
{
    public static readonly NaturalOrder Instance = new();

    [GeneratedRegex(@"\d+|\D+")]
    private static partial Regex Parts();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        var a = Parts().Matches(x);
        var b = Parts().Matches(y);
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            string p = a[i].Value, q = b[i].Value;
            int c = char.IsDigit(p[0]) && char.IsDigit(q[0]) ? CompareNumbers(p, q) : string.CompareOrdinal(p, q);
            if (c != 0) return c;
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Digit strings by value (any length), then by length: 7 &lt; 10, 7 &lt; 007.</summary>
    private static int CompareNumbers(string p, string q)
    {
        string u = p.TrimStart('0'), v = q.TrimStart('0');
        int c = u.Length.CompareTo(v.Length);
        if (c == 0) c = string.CompareOrdinal(u, v);
        return c != 0 ? c : p.Length.CompareTo(q.Length);
    }
}
