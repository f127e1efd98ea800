namespace Skd.Cli.Tests;

public class CommandTests
{
    [Fact]
    public void VersionReportsLibtorchDevicesThreadsAndBlas()
    {
        var (code, stdout, stderr) = SkdProcess.Run("version", "--json");
        Assert.True(code == 0, stderr);
        var facts = JsonDocument.Parse(stdout).RootElement;
        Assert.StartsWith("1.", facts.GetProperty("libtorch").GetString());
        Assert.StartsWith("cpu", facts.GetProperty("devices").GetString());
        Assert.True(int.Parse(facts.GetProperty("threads").GetString()!) >= 1);
        Assert.False(string.IsNullOrEmpty(facts.GetProperty("blas").GetString()));
        Assert.Matches(@"^\d+\.\d+\.\d+", facts.GetProperty("skd").GetString());
    }

    [Fact]
    public void ThreadsOptionApplies()
    {
        var (code, stdout, _) = SkdProcess.Run("version", "--json", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Equal("1", JsonDocument.Parse(stdout).RootElement.GetProperty("threads").GetString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("version", "--help")]
    [InlineData("demo", "--help")]
    public void EveryVerbHasHelp(params string[] args)
    {
        var (code, stdout, _) = SkdProcess.Run(args);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", stdout);
    }

    [Fact]
    public void DemoComparesTheMethodsAndTabulatesThem()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "skd-demo-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, stderr) = SkdProcess.Run("demo", "--out", outDir, "--images", "14", "--size", "32", "--epochs", "1", "--seeds", "1", "--threads", "1");
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("supervised, dskd, acw-skd at U-Net width 8", stdout);
            Assert.Matches(@"acw-skd width 8 seed 0: test Dice \d\.\d{4}", stdout);
            var md = File.ReadAllText(Path.Combine(outDir, "comparison", "results.md"));
            foreach (var method in new[] { "supervised", "dskd", "acw-skd" }) Assert.Contains($"| {method} | 8 | 1 |", md);
            // The wide U-Net is trained once as the upper reference, and the gap to it is printed.
            Assert.Contains("| supervised (reference) | 32 | 1 |", md);
            Assert.Matches(@"the plain U-Net of width 32 scores \d+\.\d\d % test Dice, the plain student of width 8 \d+\.\d\d %: a gap of -?\d+\.\d\d points", stdout);
            Assert.Matches(@"dskd \d+\.\d\d %, [+-]\d+\.\d\d points over the plain student", stdout);
            // On the faint vessels of the demo's task, not the standard ones.
            var description = File.ReadAllText(Path.Combine(outDir, "faint-vessels-14x32", "dataset.json"));
            Assert.Contains("\"contrast\": 0.6", description);
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
        }
    }

    [Fact]
    public void MoreThreadsThanCoresAreCappedWithAWarning()
    {
        var (code, stdout, stderr) = SkdProcess.Run("version", "--json", "--threads", "1000");
        Assert.Equal(0, code);
        Assert.Equal(Environment.ProcessorCount.ToString(), JsonDocument.Parse(stdout).RootElement.GetProperty("threads").GetString());
        Assert.Equal($"skd: warning: --threads 1000 is more than the {Environment.ProcessorCount} core(s) of this machine; using {Environment.ProcessorCount}", stderr.Trim());
        (code, _, stderr) = SkdProcess.Run("version", "--threads", "0");
        Assert.Equal(1, code);
        Assert.Contains("--threads must be at least 1, got 0", stderr);
    }

    [Fact]
    public void TheSizeLimitComesFromMaxPixelsOrTheEnvironment()
    {
        string image = Path.Combine(AppContext.BaseDirectory, "grey8.png");
        var tight = new Dictionary<string, string?> { ["SKD_MAX_PIXELS"] = "10" };
        Assert.Equal(0, SkdProcess.Run("inspect", image).ExitCode);
        foreach (var (code, _, stderr) in new[] { SkdProcess.Run("inspect", image, "--max-pixels", "10"), SkdProcess.RunWith(tight, "inspect", image) })
        {
            Assert.Equal(1, code);
            Assert.StartsWith($"skd inspect: error: {image}: the header declares an image of ", stderr);
            Assert.Contains("more than the limit of 10 (raise it with --max-pixels N or the environment variable SKD_MAX_PIXELS)", stderr);
            Assert.Single(stderr.Trim().Split('\n'));
        }
        Assert.Equal(0, SkdProcess.RunWith(tight, "inspect", image, "--max-pixels", "1000000").ExitCode);
        var bad = SkdProcess.RunWith(new Dictionary<string, string?> { ["SKD_MAX_PIXELS"] = "ten" }, "inspect", image);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("SKD_MAX_PIXELS: expected a whole number of pixels from 1 to 281474976710656 (2^48), got 'ten'", bad.StdErr);
    }

    [Theory]
    [InlineData("skd metrics: error: --classes expects a whole number from -2147483648 to 2147483647, got '99999999999'", "metrics", "--pred", "p", "--label", "l", "--classes", "99999999999")]
    [InlineData("skd train: error: --epochs expects a whole number from -2147483648 to 2147483647, got 'ten'", "train", "--data", "d", "--out", "o", "--epochs", "ten")]
    [InlineData("skd metrics: error: --spacing expects a number, got 'x'", "metrics", "--pred", "p", "--label", "l", "--spacing", "1", "x")]
    [InlineData("skd train: error: Unrecognized command or argument '--bogus'.", "train", "--data", "d", "--out", "o", "--bogus")]
    [InlineData("skd synth vessels: error: Option '--out' is required.", "synth", "vessels")]
    [InlineData("skd synth vessels: error: the vessel contrast must be positive and the noise scale non-negative, got contrast 0, noise 1", "synth", "vessels", "--out", "never-written", "--contrast", "0")]
    public void CommandLineErrorsAreOneLineNamingTheVerbWithoutTheHelpText(string expected, params string[] args)
    {
        var (code, stdout, stderr) = SkdProcess.Run(args);
        Assert.Equal(1, code);
        Assert.Equal(expected, stderr.Trim());
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("train", "--data", "DATA", "--out", "OUT", "--lr", "NaN")]
    [InlineData("train", "--data", "DATA", "--out", "OUT", "--weight-decay", "-Infinity")]
    [InlineData("metrics", "--pred", "DATA", "--label", "DATA", "--spacing", "1", "Infinity")]
    public void NonFiniteNumbersAreRefusedByTheirOptionsName(params string[] args)
    {
        string dir = Directory.CreateTempSubdirectory("skd-cli-").FullName;
        try
        {
            string[] resolved = args.Select(a => a == "DATA" ? dir : a == "OUT" ? Path.Combine(dir, "run") : a).ToArray();
            var (code, _, stderr) = SkdProcess.Run(resolved);
            Assert.Equal(1, code);
            Assert.Equal($"skd {args[0]}: error: {args[^3..].First(a => a.StartsWith("--"))} must be a finite number, got {args[^1]}", stderr.Trim());
            Assert.False(Directory.Exists(Path.Combine(dir, "run")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ABrokenDatasetJsonIsNamedWithItsField()
    {
        string dir = Directory.CreateTempSubdirectory("skd-cli-").FullName;
        try
        {
            Assert.Equal(0, SkdProcess.Run("synth", "vessels", "--out", dir, "--count", "4", "--size", "32", "--force").ExitCode);
            File.WriteAllText(Path.Combine(dir, "dataset.json"), """{"name": "vessels"}""");
            var (code, _, stderr) = SkdProcess.Run("dataset", dir);
            Assert.Equal(1, code);
            Assert.Equal($"skd dataset: error: {Path.Combine(dir, "dataset.json")}: field 'labels' is missing: expected an object of the class names and their values", stderr.Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void InspectDescribesAVolume()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "inspect-volume.nii.gz");
        var (code, stdout, stderr) = SkdProcess.Run("inspect", fixture, "--json");
        Assert.True(code == 0, stderr);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("NIfTI-1", summary.GetProperty("format").GetString());
        Assert.Equal("ALS", summary.GetProperty("orientation").GetString());
        (code, _, stderr) = SkdProcess.Run("inspect", "no-such-file.nii.gz");
        Assert.Equal(1, code);
        Assert.Contains("no-such-file.nii.gz: no such file", stderr);
    }

    [Fact]
    public void DatasetDescribesAndChecksAFolder()
    {
        string dir = Directory.CreateTempSubdirectory("skd-cli-").FullName;
        try
        {
            string images = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
            string masks = Directory.CreateDirectory(Path.Combine(dir, "masks")).FullName;
            byte[] png = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "grey8.png"));
            for (int i = 1; i <= 4; i++)
            {
                File.WriteAllBytes(Path.Combine(images, $"{i}.png"), png);
                File.WriteAllBytes(Path.Combine(masks, $"{i}.png"), png);
            }
            var (code, stdout, stderr) = SkdProcess.Run("dataset", dir, "--check", "--split", "test", "--json");
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains("checked 1 cases", stdout);
            var json = JsonDocument.Parse(stdout[stdout.IndexOf('{')..]).RootElement;
            Assert.Equal("Paired", json.GetProperty("layout").GetString());
            Assert.Equal(new[] { "4" }, json.GetProperty("selected").EnumerateArray().Select(e => e.GetString()));

            File.WriteAllBytes(Path.Combine(masks, "4.png"), png[..20]);
            (code, stdout, stderr) = SkdProcess.Run("dataset", dir, "--check");
            Assert.Equal(1, code);
            Assert.Contains("1 of 4 cases failed the check", stderr);
            Assert.Contains(Path.Combine(masks, "4.png"), stderr);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void BadArgumentsFailWithAMessage()
    {
        var (code, stdout, stderr) = SkdProcess.Run("demo", "--size", "30");
        Assert.NotEqual(0, code);
        Assert.Contains("--size", stdout + stderr);
        (code, _, stderr) = SkdProcess.Run("demo", "--reference-width", "8");
        Assert.Equal(1, code);
        Assert.Contains("--reference-width must be 0 (none) or a width other than the students' --width, got 8", stderr);
        (code, _, stderr) = SkdProcess.Run("no-such-verb");
        Assert.NotEqual(0, code);
    }
}
