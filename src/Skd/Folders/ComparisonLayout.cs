namespace Skd.Folders;

/// <summary>
/// The files of a comparison folder (what <c>skd compare</c> writes), named here and nowhere else:
/// <c>compare.json</c> (the settings), <c>runs/LABEL/</c> (a run folder per training run, see
/// <see cref="RunLayout"/>, plus <c>test.json</c>, its test metrics), <c>results.md</c>,
/// <c>results.csv</c> and <c>dice.png</c>. Labels: <c>teacher-wW</c> for the teacher,
/// <c>METHOD-wW-sS</c> for a student.
/// </summary>
/// <param name="Folder">The comparison folder.</param>
public sealed record ComparisonLayout(string Folder)
{
    public const string ConfigName = "compare.json", RunsName = "runs", TestMetricsName = "test.json",
        MarkdownName = "results.md", CsvName = "results.csv", DiceChartName = "dice.png";

    public string Config => Path.Combine(Folder, ConfigName);
    /// <summary>The folder of the run folders.</summary>
    public string Runs => Path.Combine(Folder, RunsName);
    public string Markdown => Path.Combine(Folder, MarkdownName);
    public string Csv => Path.Combine(Folder, CsvName);
    public string DiceChart => Path.Combine(Folder, DiceChartName);

    /// <summary>The run folder of the run labelled <paramref name="label"/>.</summary>
    public RunLayout Run(string label) => new(Path.Combine(Runs, label));

    /// <summary>The test metrics of the run labelled <paramref name="label"/>, written last: a run that has them is done.</summary>
    public string TestMetrics(string label) => Path.Combine(Run(label).Folder, TestMetricsName);

    /// <summary>The label of the teacher of width <paramref name="width"/>.</summary>
    public static string TeacherLabel(int width) => $"teacher-w{width}";

    /// <summary>The label of a student's run.</summary>
    public static string StudentLabel(string method, int width, int seed) => $"{method}-w{width}-s{seed}";
}
