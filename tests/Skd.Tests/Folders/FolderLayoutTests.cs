namespace Skd.Tests.Folders;

/// <summary>
/// The names of a run folder's and a comparison folder's files are spelled in <see cref="RunLayout"/>
/// and <see cref="ComparisonLayout"/> alone: a source elsewhere that spells one in a string fails here,
/// so renaming a file is one change.
/// </summary>
public sealed partial class FolderLayoutTests
{
    [GeneratedRegex(@"""[^""]*(config\.json|log\.jsonl|last\.safetensors|best\.safetensors|curves\.png|compare\.json|test\.json|results\.md|results\.csv|dice\.png|teacher-w\{)|""(runs|student\.)""")]
    private static partial Regex SpellsAFolderFile();

    [Fact]
    public void NoSourceOutsideTheLayoutsSpellsARunOrComparisonFileName()
    {
        var sources = RepositorySources.Files("src", "*.cs").Where(f => !f.StartsWith("src/Skd/Folders/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sources);
        var offenders = RepositorySources.CodeLines(sources).Where(l => SpellsAFolderFile().IsMatch(l.Text)).Select(l => l.ToString()).ToList();
        Assert.True(offenders.Count == 0, "name the file through RunLayout or ComparisonLayout instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheLayoutsPlaceEveryFileWhereEarlierRunsAndComparisonsHaveThem()
    {
        var run = new RunLayout(Path.Combine("r", "run"));
        Assert.Equal([Path.Combine("r", "run", "config.json"), Path.Combine("r", "run", "log.jsonl"), Path.Combine("r", "run", "last.safetensors"),
                      Path.Combine("r", "run", "best.safetensors"), Path.Combine("r", "run", "curves.png")],
                     [run.Config, run.Log, run.Last, run.Best, run.Curves]);
        Assert.Equal("student.", RunLayout.StudentPrefix);
        var comparison = new ComparisonLayout("cmp");
        Assert.Equal([Path.Combine("cmp", "compare.json"), Path.Combine("cmp", "results.md"), Path.Combine("cmp", "results.csv"), Path.Combine("cmp", "dice.png")],
                     [comparison.Config, comparison.Markdown(), comparison.Csv(), comparison.DiceChart()]);
        Assert.Equal(Path.Combine("cmp", "runs", "teacher-w64", "test.json"), comparison.Metrics(ComparisonLayout.TeacherLabel(64)));
        Assert.Equal(Path.Combine("cmp", "runs", "teacher-w64", "val.json"), comparison.Metrics(ComparisonLayout.TeacherLabel(64), "val"));
        Assert.Equal([Path.Combine("cmp", "results-val.md"), Path.Combine("cmp", "results-val.csv"), Path.Combine("cmp", "dice-val.png")], [comparison.Markdown("val"), comparison.Csv("val"), comparison.DiceChart("val")]);
        Assert.Equal(Path.Combine("cmp", "runs", "kd-w16-s2", "last.safetensors"), comparison.Run(ComparisonLayout.StudentLabel("kd", 16, 2)).Last);
    }
}
