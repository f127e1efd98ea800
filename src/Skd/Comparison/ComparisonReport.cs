using System.Text;

namespace Skd.Comparison;

/// <summary>
/// Writes a comparison's summaries as <c>results.md</c> (a Markdown table: mean ± std over seeds,
/// Dice/IoU/Acc/Sen/Spe in %, HD95 in the evaluation's units, parameters, MACs, training time, and
/// the paired tests against the plain student) and <c>results.csv</c> (the same numbers, unrounded:
/// one column per statistic). Both are written to a temporary file and renamed.
/// </summary>
public static class ComparisonReport
{
    private static readonly string[] Percent = ["dice", "iou", "acc", "sen", "spe"];

    /// <summary>The table of <paramref name="rows"/> under <paramref name="title"/>; <paramref name="split"/> names the split the runs were scored on (test or val).</summary>
    public static string Markdown(IReadOnlyList<MethodSummary> rows, string title, string split = "test")
    {
        var md = new StringBuilder();
        md.AppendLine($"# {title}").AppendLine();
        md.AppendLine("| method | width | seeds | Dice % | IoU % | Acc % | Sen % | Spe % | HD95 | params | MACs | train s | ΔDice vs plain | p (t) | p (Wilcoxon) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var cells = new List<string> { r.Method, Int(r.Width), Int(r.Seeds) };
            cells.AddRange(CaseMetrics.Columns.Select(c => MeanStd(r.Metrics[c.Name], Percent.Contains(c.Name) ? 100 : 1)));
            cells.AddRange([Human(r.Parameters), Human(r.Macs), r.TrainSeconds.ToString("0", CultureInfo.InvariantCulture)]);
            var v = r.VersusBaseline;
            cells.AddRange(v is null
                ? ["—", "—", "—"]
                : [(v.DiceDifference * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture), P(v.TTest.PValue), P(v.Wilcoxon.PValue)]);
            md.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        md.AppendLine().AppendLine($"Mean ± standard deviation over seeds of each run's {split} score (each case averaged over its evaluated classes, then over the cases). " +
                                   "ΔDice: mean per-case Dice difference from the `supervised` student of the same width, in points; " +
                                   $"p: two-sided paired tests over the {split} cases (each case's Dice averaged over seeds). MACs for one input image.");
        return md.ToString();
    }

    public static string Csv(IReadOnlyList<MethodSummary> rows)
    {
        var csv = new StringBuilder();
        var header = new List<string> { "method", "width", "seeds" };
        header.AddRange(CaseMetrics.Columns.SelectMany(c => new[] { c.Name + "_mean", c.Name + "_std" }));
        header.AddRange(["parameters", "macs", "train_seconds", "dice_difference", "t_statistic", "t_p", "wilcoxon_statistic", "wilcoxon_p"]);
        csv.AppendLine(string.Join(",", header));
        foreach (var r in rows)
        {
            var v = r.VersusBaseline;
            var cells = new List<string> { r.Method, Int(r.Width), Int(r.Seeds) };
            cells.AddRange(CaseMetrics.Columns.SelectMany(c => new[] { Num(r.Metrics[c.Name].Mean), Num(r.Metrics[c.Name].Std) }));
            cells.AddRange([Int(r.Parameters), Int(r.Macs), Num(r.TrainSeconds)]);
            cells.AddRange(v is null ? ["", "", "", "", ""] :
                [Num(v.DiceDifference), Num(v.TTest.Statistic), Num(v.TTest.PValue), Num(v.Wilcoxon.Statistic), Num(v.Wilcoxon.PValue)]);
            csv.AppendLine(string.Join(",", cells));
        }
        return csv.ToString();
    }

    /// <summary>Writes results.md and results.csv (results-val.md, results-val.csv for the val split) into the comparison folder, each atomically.</summary>
    public static void Write(ComparisonLayout layout, IReadOnlyList<MethodSummary> rows, string title, string split = ComparisonLayout.TestSplit)
    {
        AtomicFile.WriteText(layout.Markdown(split), Markdown(rows, title, split));
        AtomicFile.WriteText(layout.Csv(split), Csv(rows));
    }

    /// <summary>"mean ± std" of a statistic times <paramref name="scale"/> (100 for percentages), 2 decimals; a dash for none.</summary>
    public static string MeanStd(MetricStats s, double scale) =>
        double.IsNaN(s.Mean) ? "—" : $"{(s.Mean * scale).ToString("0.00", CultureInfo.InvariantCulture)} ± {(s.Std * scale).ToString("0.00", CultureInfo.InvariantCulture)}";

    /// <summary>A p-value for a table: 4 decimals, scientific below 1e-4, a dash when there was nothing to test.</summary>
    public static string P(double p) => double.IsNaN(p) ? "—" : p < 1e-4 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Num(double v) => double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Human(long n) => Skd.Models.ModelProfile.Human(n);
}
