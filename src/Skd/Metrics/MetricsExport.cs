namespace Skd.Metrics;

/// <summary>
/// Writes a <see cref="MetricsTable"/> as CSV (one row per case and class; a summary with
/// mean, std and n per metric, per class and overall) or as one JSON document holding both.
/// Numbers are invariant-culture and round-trip; NaN is written <c>nan</c> in CSV (pandas and
/// numpy read it) and <c>null</c> in JSON.
/// </summary>
public static class MetricsExport
{
    public static void WriteCsv(MetricsTable table, TextWriter writer)
    {
        writer.WriteLine(string.Join(",", ["case", "class", .. NameField(table, _ => "name"), .. CaseMetrics.Columns.Select(c => c.Name)]));
        foreach (var row in table.Rows)
            writer.WriteLine(string.Join(",", [Csv(row.CaseId), Csv(row.Class), .. NameField(table, names => names[row.Class]),
                .. CaseMetrics.Columns.Select(c => Csv(c.Value(row)))]));
    }

    /// <summary>One row per class, then a row "overall" (<see cref="MetricsTable.Overall"/>).</summary>
    public static void WriteSummaryCsv(MetricsTable table, TextWriter writer)
    {
        var header = CaseMetrics.Columns.SelectMany(c => new[] { c.Name + "_mean", c.Name + "_std", c.Name + "_n" });
        writer.WriteLine(string.Join(",", ["class", .. NameField(table, _ => "name"), .. header]));
        foreach (int cls in table.Classes)
            writer.WriteLine(SummaryLine([Csv(cls), .. NameField(table, names => names[cls])], table.ForClass(cls)));
        writer.WriteLine(SummaryLine(["overall", .. NameField(table, _ => "")], table.Overall()));
    }

    /// <summary><c>{"cases": [rows], "classes": [per-class stats], "overall": stats}</c>, stats as <c>{"dice": {"mean", "std", "n"}, ...}</c>.</summary>
    public static void WriteJson(MetricsTable table, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartArray("cases");
        foreach (var row in table.Rows)
        {
            w.WriteStartObject();
            w.WriteString("case", row.CaseId);
            WriteClass(w, table, row.Class);
            foreach (var (name, value) in CaseMetrics.Columns) WriteNumber(w, name, value(row));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("classes");
        foreach (int cls in table.Classes)
        {
            w.WriteStartObject();
            WriteClass(w, table, cls);
            WriteStats(w, table.ForClass(cls));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("overall");
        WriteStats(w, table.Overall());
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads back the per-case rows of a document written by <see cref="WriteJson"/> (null → NaN),
    /// with the class names when it has them. A malformed document is a DataFormatException naming the file and the field.
    /// </summary>
    public static MetricsTable ReadJson(string path) => JsonFile.Read(path, root =>
    {
        var rows = new List<CaseMetrics>();
        var names = new SortedDictionary<int, string>();
        foreach (var c in root.Required("cases", "a list of per-case rows").Items())
        {
            double Get(string name) => c.Required(name, "a number or null").Number();
            int cls = c.Required("class", "the class id").Int32();
            if (c.Optional("name") is { } n) names[cls] = n.String();
            rows.Add(new CaseMetrics(c.Required("case", "the case id").String(), cls, Get("dice"), Get("iou"), Get("acc"), Get("sen"), Get("spe"), Get("hd95")));
        }
        foreach (var cls in root.Required("classes", "a list of per-class summaries").Items())
            if (cls.Optional("name") is { } n) names[cls.Required("class", "the class id").Int32()] = n.String();
        IReadOnlyList<string>? classNames = names.Count > 0 ? Enumerable.Range(0, names.Keys.Max() + 1).Select(k => names.GetValueOrDefault(k, $"class {k}")).ToList() : null;
        return new MetricsTable(rows, classNames);
    });

    private static string SummaryLine(IEnumerable<string> leading, IReadOnlyDictionary<string, MetricStats> stats) =>
        string.Join(",", [.. leading, .. CaseMetrics.Columns.SelectMany(c => new[] { Csv(stats[c.Name].Mean), Csv(stats[c.Name].Std), Csv(stats[c.Name].Count) })]);

    /// <summary>The name column's field, when the table has class names.</summary>
    private static string[] NameField(MetricsTable table, Func<IReadOnlyList<string>, string> field) =>
        table.ClassNames == null ? [] : [Csv(field(table.ClassNames))];

    private static void WriteClass(Utf8JsonWriter w, MetricsTable table, int cls)
    {
        w.WriteNumber("class", cls);
        if (table.ClassNames != null) w.WriteString("name", table.ClassNames[cls]);
    }

    private static void WriteStats(Utf8JsonWriter w, IReadOnlyDictionary<string, MetricStats> stats)
    {
        foreach (var (name, s) in stats)
        {
            w.WriteStartObject(name);
            WriteNumber(w, "mean", s.Mean);
            WriteNumber(w, "std", s.Std);
            w.WriteNumber("n", s.Count);
            w.WriteEndObject();
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static string Csv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Csv(double value) => double.IsNaN(value) ? "nan" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).</summary>
    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
