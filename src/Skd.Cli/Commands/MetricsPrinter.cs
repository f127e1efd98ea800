namespace Skd.Cli.Commands;

/// <summary>
/// Prints a <see cref="MetricsTable"/> (eval, metrics): one row per case (each metric averaged over
/// its classes), then per class and overall the mean ± standard deviation over the cases, with n,
/// the cases that scored the class (NaN-aware, see <see cref="MetricStats"/>).
/// </summary>
internal static class MetricsPrinter
{
    public static void Print(MetricsTable table)
    {
        var columns = CaseMetrics.Columns;
        var cases = new Table().Title("per case (mean over classes)").AddColumn("case");
        foreach (var (name, _) in columns) cases.AddColumn(new TableColumn(name).RightAligned());
        foreach (var group in table.Rows.GroupBy(r => r.CaseId))
            cases.AddRow([Markup.Escape(group.Key), .. columns.Select(c => Number(c.Name, MetricStats.Of(group.Select(c.Value)).Mean))]);
        AnsiConsole.Write(cases);

        var classes = new Table().Title("per class (mean ± std over cases, n)").AddColumn("class");
        foreach (var (name, _) in columns) classes.AddColumn(new TableColumn(name).RightAligned());
        classes.AddColumn(new TableColumn("n").RightAligned());
        foreach (int k in table.Classes)
            classes.AddRow(Summary(table.ClassNames is { } names ? $"{k} {names[k]}" : k.ToString(CultureInfo.InvariantCulture), table.ForClass(k)));
        classes.AddRow(Summary("[bold]overall[/]", table.Overall(), escape: false));
        AnsiConsole.Write(classes);
    }

    private static string[] Summary(string label, IReadOnlyDictionary<string, MetricStats> stats, bool escape = true) =>
    [
        escape ? Markup.Escape(label) : label,
        .. CaseMetrics.Columns.Select(c => $"{Number(c.Name, stats[c.Name].Mean)}\n±{Number(c.Name, stats[c.Name].Std)}"),
        stats["dice"].Count.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Overlap metrics with 4 decimals, HD95 (a distance) with 2; NaN as "nan".</summary>
    private static string Number(string metric, double value) =>
        double.IsNaN(value) ? "nan" : value.ToString(metric == "hd95" ? "0.00" : "0.0000", CultureInfo.InvariantCulture);
}
