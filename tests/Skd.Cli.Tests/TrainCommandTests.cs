namespace Skd.Cli.Tests;

/// <summary><c>skd train</c> as a user runs it, on a tiny generated vessel dataset (14 images of 32×32).</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-train-cli-").FullName;
    private readonly string data;

    public TrainCommandTests()
    {
        data = Path.Combine(root, "vessels");
        var (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", data, "--count", "14", "--size", "32");
        Assert.True(code == 0, stdout + stderr);
    }

    public void Dispose() => Directory.Delete(root, true);

    private static readonly string[] Tiny = ["--width", "4", "--depth", "2", "--size", "32", "--batch", "4", "--workers", "0", "--threads", "1"];

    private (int Code, string Out, string Err) Train(string run, params string[] args) =>
        SkdProcess.Run(["train", "--data", data, "--out", Path.Combine(root, run), .. Tiny, .. args]);

    [Fact]
    public void FlagsOverrideTheConfigFileWhichOverridesTheTaskDefaults()
    {
        string file = Path.Combine(root, "train.json");
        File.WriteAllText(file, """{"epochs": 5, "lr": 0.005, "seed": 3, "method_options": {"ce-weight": "1"}}""");
        var (code, stdout, stderr) = Train("run", "--config", file, "--epochs", "2", "--option", "dice-weight=0.25");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("epoch 2:", stdout);
        Assert.Contains("done: 2 epochs", stdout);

        string run = Path.Combine(root, "run");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        var c = config.RootElement;
        Assert.Equal(2, c.GetProperty("epochs").GetInt32());                    // flag over file
        Assert.Equal(0.005, c.GetProperty("lr").GetDouble());                   // file over default
        Assert.Equal(3, c.GetProperty("seed").GetInt32());
        Assert.Equal("adam", c.GetProperty("optimizer").GetString());           // binary default
        Assert.Equal("binary", c.GetProperty("task").GetString());
        Assert.Equal("1", c.GetProperty("method_options").GetProperty("ce-weight").GetString());
        Assert.Equal("0.25", c.GetProperty("method_options").GetProperty("dice-weight").GetString());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "log.jsonl")).Length);
        foreach (var name in new[] { "last.safetensors", "best.safetensors", "curves.png" }) Assert.True(File.Exists(Path.Combine(run, name)), name);

        (code, stdout, stderr) = SkdProcess.Run("train", "--resume", run);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("already done all 2 epochs", stdout);

        (code, _, stderr) = SkdProcess.Run("train", "--resume", run, "--epochs", "4");
        Assert.Equal(1, code);
        Assert.Contains("--resume takes no other training option", stderr);
    }

    [Fact]
    public void MemoryFormatIsOneOptionOfTrainAndEvalAndAnUnknownOneIsNamed()
    {
        var (code, stdout, stderr) = Train("cl", "--epochs", "1", "--memory-format", "contiguous");
        Assert.True(code == 0, stdout + stderr);
        string run = Path.Combine(root, "cl");
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.Equal("contiguous", config.RootElement.GetProperty("memory_format").GetString());

        (code, stdout, stderr) = SkdProcess.Run("eval", "--run", run, "--data", data, "--split", "all", "--engine", "torch", "--memory-format", "channels-last", "--threads", "1");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("best.safetensors", stdout);

        (code, _, stderr) = Train("bad", "--epochs", "1", "--memory-format", "nhwc");
        Assert.Equal(1, code);
        Assert.Contains("nhwc", stderr);
        Assert.Contains("channels-last", stderr);
    }

    /// <summary>A CI runner's environment: a colour terminal type, a CI variable Spectre knows, no NO_COLOR; the output still goes to a pipe.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> CiLog = new Dictionary<string, string?>
    {
        ["TERM"] = "xterm-256color", ["GITHUB_ACTIONS"] = "true", ["CI"] = "true", ["NO_COLOR"] = null,
    };

    [Fact]
    public void OutputToAFileIsOnePlainLinePerEpoch()
    {
        // Epochs of about a second, so that a progress display refreshing every second would have drawn in them.
        string many = Path.Combine(root, "many");
        Assert.Equal(0, SkdProcess.Run("synth", "vessels", "--out", many, "--count", "160", "--size", "32").ExitCode);
        var (code, stdout, stderr) = SkdProcess.RunWith(CiLog, ["train", "--data", many, "--out", Path.Combine(root, "run"), "--width", "4", "--depth", "2", "--size", "32",
            "--batch", "1", "--workers", "0", "--threads", "1", "--epochs", "3"]);
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain('\u001b', stdout + stderr);                               // no colours, no cursor movement, no redrawn bars
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);                                                  // the plan, one line per epoch, done
        Assert.StartsWith("skd train: supervised", lines[0]);
        for (int e = 1; e <= 3; e++) Assert.StartsWith($"epoch {e}: ce ", lines[e]);
        Assert.StartsWith("done: 3 epochs", lines[4]);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsInEveryProcess()
    {
        Assert.Equal(0, Train("a", "--epochs", "2").Code);
        Assert.Equal(0, Train("b", "--epochs", "2").Code);
        using var a = Safetensors.Load(Path.Combine(root, "a", "last.safetensors"));
        using var b = Safetensors.Load(Path.Combine(root, "b", "last.safetensors"));
        Assert.Equal(a.Tensors.Keys, b.Tensors.Keys);
        foreach (var (name, tensor) in a.Tensors)
            Assert.True(tensor.Eq(b.Tensors[name]).All().Item<bool>(), $"{name} differs between two runs of the same seed");
    }

    [Fact]
    public void ARunKilledMidwayAndResumedEndsWithTheWeightsOfAnUninterruptedOne()
    {
        string[] run = ["--epochs", "20", "--seed", "5"];
        Assert.Equal(0, Train("straight", run).Code);

        string killed = Path.Combine(root, "killed");
        using (var process = SkdProcess.Start(["train", "--data", data, "--out", killed, .. Tiny, .. run]))
        {
            string log = Path.Combine(killed, "log.jsonl");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!process.HasExited && !(File.Exists(log) && File.ReadAllLines(log).Length >= 2) && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(20);
            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.InRange(File.ReadAllLines(Path.Combine(killed, "log.jsonl")).Length, 2, 19);
        var (code, stdout, stderr) = SkdProcess.Run("train", "--resume", killed, "--threads", "1");
        Assert.True(code == 0, stdout + stderr);

        using var expected = Safetensors.Load(Path.Combine(root, "straight", "last.safetensors"));
        using var actual = Safetensors.Load(Path.Combine(killed, "last.safetensors"));
        Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in expected.Tensors)
            Assert.True(tensor.Eq(actual.Tensors[name]).All().Item<bool>(), $"{name} differs after the resume");
        Assert.Equal(20, File.ReadAllLines(Path.Combine(killed, "log.jsonl")).Length);
        Assert.Equal([Path.Combine(killed, ".lock")], Directory.GetFiles(killed, ".*"));   // no temporary left, only the (released) lock file
    }

    [Fact]
    public void ASecondCommandOnARunFolderInUseIsRefusedAndAKilledRunLeavesNoLock()
    {
        string busy = Path.Combine(root, "busy");
        using (var first = SkdProcess.Start(["train", "--data", data, "--out", busy, .. Tiny, "--epochs", "500"]))
        {
            string log = Path.Combine(busy, "log.jsonl");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!first.HasExited && !File.Exists(log) && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(first.HasExited, "the first run ended before the second started");
            var (code, _, stderr) = SkdProcess.Run(["train", "--data", data, "--out", busy, .. Tiny, "--epochs", "500"]);
            var (resumeCode, _, resumeErr) = SkdProcess.Run("train", "--resume", busy);
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
            Assert.Equal(1, code);
            Assert.Contains($"{busy} is not empty: it holds a run", stderr);   // refused before it could even wait for the lock
            Assert.Equal(1, resumeCode);
            Assert.Contains($"{busy} is in use by another skd command", resumeErr);
        }
        Skd.Training.FolderLock.Acquire(busy).Dispose();   // the killed run's lock went with it
    }

    [Fact]
    public void EveryOptionIsDocumented()
    {
        var (code, stdout, _) = SkdProcess.Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--data", "--layout", "--method", "--out", "--width", "--epochs", "--batch", "--size", "--lr", "--optimizer",
                                       "--seed", "--device", "--teacher", "--config", "--option", "--resume", "--val-every", "--grad-norm-every" })
        {
            string line = stdout.Split('\n').First(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
            Assert.True(line.Trim().Length > option.Length + 20, $"{option} has no description: {line}");
        }
    }

    [Fact]
    public void UserMistakesGiveOneLine()
    {
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--method", "nosuch"], "unknown method 'nosuch'"),
            (["--optimizer", "lbfgs"], "optimizer must be sgd, adam or adamw"),
            (["--option", "nosuch=1"], "has no option 'nosuch'"),
            (["--val-every", "0"], "val_every must be at least 1"),
            (["--grad-norm-every", "-1"], "grad_norm_every must be non-negative"),
            (["--method", "kd"], "give --teacher RUN_FOLDER or MODEL.safetensors (train one with --method supervised --width 64)"),   // the library's option, as its flag
        })
        {
            var (code, stdout, stderr) = Train("bad", args);
            Assert.True(code == 1, stdout + stderr);
            Assert.Contains(expected, stderr);
            Assert.Single(stderr.Trim().Split('\n'));
        }
        var (c, _, err) = SkdProcess.Run("train", "--data", data);
        Assert.Equal(1, c);
        Assert.Contains("--out", err);
    }
}
