namespace Skd.Cli.Commands;

/// <summary>Writes a <see cref="MetricsTable"/> to the files named by --json and --csv (eval, metrics).</summary>
internal static class MetricsFiles
{
    /// <summary>
    /// Refuses, before anything is scored, --json and --csv files (and the CSV's summary beside it)
    /// that <paramref name="inputs"/> protects or that are one file.
    /// </summary>
    public static void CheckTargets(ProtectedInputs inputs, string? json, string? csv)
    {
        if (json is not null) inputs.ClaimOutput(json, "--json");
        if (csv is null) return;
        inputs.ClaimOutput(csv, "--csv");
        inputs.ClaimOutput(SummaryPath(csv), "--csv (its summary)");
    }

    public static void WriteJson(string path, MetricsTable table)
    {
        CreateFolder(path);
        AtomicFile.Write(path, stream => MetricsExport.WriteJson(table, stream));
    }

    /// <summary>The rows to <paramref name="path"/>, the per-class and overall summaries to NAME_summary.csv beside it.</summary>
    public static void WriteCsv(string path, MetricsTable table)
    {
        CreateFolder(path);
        AtomicFile.Write(path, stream => WriteWith(stream, writer => MetricsExport.WriteCsv(table, writer)));
        AtomicFile.Write(SummaryPath(path), stream => WriteWith(stream, writer => MetricsExport.WriteSummaryCsv(table, writer)));
    }

    private static string SummaryPath(string csv) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv))!, Path.GetFileNameWithoutExtension(csv) + "_summary.csv");

    private static void WriteWith(Stream stream, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        write(writer);
    }

    private static void CreateFolder(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
    }
}
