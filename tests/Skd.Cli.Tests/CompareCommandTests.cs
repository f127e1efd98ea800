namespace Skd.Cli.Tests;

/// <summary><c>skd compare</c> as a user runs it, on 14 generated 32×32 vessel images (4 test cases).</summary>
public sealed class CompareCommandTests : TempFolder
{
    private readonly string data;

    public CompareCommandTests() : base("skd-compare-cli-")
    {
        data = Path.Combine(root, "vessels");
        var (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", data, "--count", "14", "--size", "32");
        Assert.True(code == 0, stdout + stderr);
    }

    private (int Code, string Out, string Err) Compare(params string[] args) =>
        SkdProcess.RunWith(TrainCommandTests.CiLog, ["compare", "--data", data, "--out", Path.Combine(root, "cmp"), "--width", "4", "--depth", "2", "--size", "32",
            "--batch", "4", "--epochs", "1", "--seeds", "1", "--threads", "1", .. args]);

    [Fact]
    public void AValidationPassAndThenTheTestPassTrainOnce()
    {
        var (code, stdout, stderr) = Compare("--score-split", "val");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("supervised width 4 seed 0: val Dice", stdout);
        Assert.Contains("results (val split):", stdout);
        Assert.True(File.Exists(Path.Combine(root, "cmp", "results-val.md")));
        (code, stdout, stderr) = Compare();
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain("training", stdout);
        Assert.Contains("supervised width 4 seed 0: test Dice", stdout);
        (code, _, stderr) = Compare("--score-split", "train");
        Assert.Equal(1, code);
        Assert.Contains("--score-split must be test or val, got 'train'", stderr);
    }

    [Fact]
    public void MethodsAreTabulatedAgainstThePlainStudentAndARerunReusesThem()
    {
        var (code, stdout, stderr) = Compare("--methods", "dskd", "--option", "dskd.grid=2", "--memory-format", "contiguous");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("[1/2] supervised-w4-s0: training", stdout);
        Assert.Contains("dskd width 4 seed 0: test Dice", stdout);
        Assert.Contains("p (Wilcoxon)", stdout);
        Assert.DoesNotContain('\u001b', stdout + stderr);                                 // a CI log: plain lines, no redrawn bars
        Assert.Equal(2, stdout.Split('\n').Count(l => l.Contains(": test Dice ")));       // one line per run
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("| supervised ") || l.StartsWith("│ supervised "));   // the table unwrapped
        var md = File.ReadAllText(Path.Combine(root, "cmp", "results.md"));
        Assert.Contains("| supervised | 4 | 1 |", md);
        Assert.Contains("| dskd | 4 | 1 |", md);
        string runConfig = File.ReadAllText(Path.Combine(root, "cmp", "runs", "dskd-w4-s0", "config.json"));
        Assert.Contains("\"grid\"", runConfig);
        Assert.Contains("\"memory_format\": \"contiguous\"", runConfig);                   // compare's --memory-format reaches every run

        (code, stdout, stderr) = Compare("--methods", "dskd", "--option", "dskd.grid=2", "--memory-format", "contiguous");
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain("training", stdout);
        Assert.Contains("reused dskd width 4 seed 0", stdout);
    }

    [Fact]
    public void MistakesAreOneClearLine()
    {
        var (code, _, stderr) = Compare("--option", "grid=2");
        Assert.Equal(1, code);
        Assert.Contains("skd compare: error: --option takes METHOD.NAME=VALUE", stderr);

        (code, _, stderr) = Compare("--methods", "dskd", "--option", "dskd.nonesuch=1");
        Assert.Equal(1, code);
        Assert.Contains("has no option 'nonesuch'", stderr);

        (code, _, stderr) = Compare("--teacher-width", "0");   // the library's 'width' and 'teacher_width', as the command's flags
        Assert.Equal(1, code);
        Assert.Contains("skd compare: error: widths must be at least 1, got --width 4, --teacher-width 0", stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "cmp", "runs")));
    }
}
