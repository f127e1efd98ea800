using Skd.Metrics;

namespace Skd.Cli.Commands;

/// <summary>Writes a <see cref="MetricsTable"/> to the files named by --json and --csv (eval, metrics).</summary>
internal static class MetricsFiles
{
    public static void WriteJson(string path, MetricsTable table)
    {
        CreateFolder(path);
        using var file = File.Create(path);
        MetricsExport.WriteJson(table, file);
    }

    /// <summary>The rows to <paramref name="path"/>, the per-class and overall summaries to NAME_summary.csv beside it.</summary>
    public static void WriteCsv(string path, MetricsTable table)
    {
        CreateFolder(path);
        using (var rows = new StreamWriter(path)) MetricsExport.WriteCsv(table, rows);
        string summary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "_summary.csv");
        using var writer = new StreamWriter(summary);
        MetricsExport.WriteSummaryCsv(table, writer);
    }

    private static void CreateFolder(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
    }
}
