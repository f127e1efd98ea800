namespace Skd.Folders;

/// <summary>
/// The files of a comparison folder (what <c>skd compare</c> writes), named here and nowhere else:
/// <c>compare.json</c> (the settings), <c>runs/LABEL/</c> (a run folder per training run, see
/// <see cref="RunLayout"/>, plus <c>test.json</c> or <c>val.json</c>, its metrics on the scored split),
/// <c>results.md</c>, <c>results.csv</c> and <c>dice.png</c> for the test split (<c>results-val.md</c>,
/// <c>results-val.csv</c>, <c>dice-val.png</c> for the validation split). Labels: <c>teacher-wW</c> for the
/// full-width U-Net (teacher or reference), <c>METHOD-wW-sS</c> for a student.
/// </summary>
/// <param name="Folder">The comparison folder.</param>
public sealed record ComparisonLayout(string Folder)
{
    public const string ConfigName = "compare.json", RunsName = "runs", TestSplit = "test", ValSplit = "val";

    /// <summary>The splits a comparison can score its runs on.</summary>
    public static readonly IReadOnlyList<string> Splits = [TestSplit, ValSplit];

    public string Config => Path.Combine(Folder, ConfigName);
    /// <summary>The folder of the run folders.</summary>
    public string Runs => Path.Combine(Folder, RunsName);
    /// <summary>The results table of <paramref name="split"/>: results.md, results-val.md.</summary>
    public string Markdown(string split = TestSplit) => Path.Combine(Folder, MarkdownName(split));
    public string Csv(string split = TestSplit) => Path.Combine(Folder, CsvName(split));
    public string DiceChart(string split = TestSplit) => Path.Combine(Folder, DiceChartName(split));

    public static string MarkdownName(string split = TestSplit) => $"results{Suffix(split)}.md";
    public static string CsvName(string split = TestSplit) => $"results{Suffix(split)}.csv";
    public static string DiceChartName(string split = TestSplit) => $"dice{Suffix(split)}.png";

    /// <summary>The run folder of the run labelled <paramref name="label"/>.</summary>
    public RunLayout Run(string label) => new(Path.Combine(Runs, label));

    /// <summary>The metrics of the run labelled <paramref name="label"/> on <paramref name="split"/> (test.json, val.json), written last: a run that has them for any split is trained.</summary>
    public string Metrics(string label, string split = TestSplit) => Path.Combine(Run(label).Folder, split + ".json");

    /// <summary>The label of the full-width U-Net of width <paramref name="width"/> (the teacher, or the reference).</summary>
    public static string TeacherLabel(int width) => $"teacher-w{width}";

    /// <summary>The label of a student's run.</summary>
    public static string StudentLabel(string method, int width, int seed) => $"{method}-w{width}-s{seed}";

    /// <summary>What the report files of a split carry in their names: nothing for test, <c>-val</c> for val.</summary>
    private static string Suffix(string split) => split == TestSplit ? "" : "-" + split;
}
