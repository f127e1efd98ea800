using Skd.Metrics;
using Skd.Torch;

namespace Skd.Cli.Commands;

/// <summary>Writes a <see cref="MetricsTable"/> to the files named by --json and --csv (eval, metrics).</summary>
internal static class MetricsFiles
{
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
        string summary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + "_summary.csv");
        AtomicFile.Write(summary, stream => WriteWith(stream, writer => MetricsExport.WriteSummaryCsv(table, writer)));
    }

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
