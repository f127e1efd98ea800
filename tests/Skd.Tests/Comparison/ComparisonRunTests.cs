namespace Skd.Tests.Comparison;

/// <summary>Whole comparisons on 14 generated 32×32 vessel images (4 test cases), one epoch per run.</summary>
[Collection(SerialCollection.Name)]
public sealed class ComparisonRunTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-compare-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private CompareConfig Config(params string[] methods) => new()
    {
        Data = TinyData.Vessels(root), Methods = methods, Seeds = 2, Width = 4, TeacherWidth = 8,
        Training = new TrainOptions { Epochs = 1, Size = 32, Depth = 2, Batch = 4, Workers = 0 },
    };

    /// <summary>Counts runs trained and reused, and can stop the comparison when a given run starts.</summary>
    private sealed class Recorder(int stopAt = -1, CancellationTokenSource? cancel = null) : IComparisonObserver
    {
        public List<string> Started { get; } = new();
        public List<(RunOutcome Outcome, bool Reused)> Finished { get; } = new();

        public ITrainingObserver? RunStarting(string label, int index, int total)
        {
            Started.Add(label);
            if (index == stopAt) cancel!.Cancel();
            return null;
        }

        public void RunFinished(RunOutcome outcome, bool reused) => Finished.Add((outcome, reused));
    }

    [Fact]
    public void EveryMethodAndSeedIsTrainedEvaluatedAndTabulated()
    {
        var outDir = Path.Combine(root, "out");
        var recorder = new Recorder();
        var rows = ComparisonRun.Run(Config("dskd"), outDir, recorder);

        Assert.Equal(["supervised-w4-s0", "supervised-w4-s1", "dskd-w4-s0", "dskd-w4-s1"], recorder.Started);
        Assert.Equal(["supervised", "dskd"], rows.Select(r => r.Method));
        Assert.All(rows, r => Assert.Equal(2, r.Seeds));
        Assert.Null(rows[0].VersusBaseline);
        Assert.Equal(4, rows[1].VersusBaseline!.TTest.Pairs);
        Assert.All(recorder.Finished, f => Assert.Equal(4, f.Outcome.Test.Rows.Select(r => r.CaseId).Distinct().Count()));
        using (var network = new Skd.Models.UNet(new Skd.Models.UNetConfig(1, 2, 4, 2)))
            Assert.Equal(network.Parameters().Sum(p => p.NumElements), rows[0].Parameters);
        foreach (var file in new[] { "results.md", "results.csv", ComparisonLayout.DiceChartName(), ComparisonLayout.ConfigName })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Contains("| dskd | 4 | 2 |", File.ReadAllText(Path.Combine(outDir, "results.md")));
        using var chart = Skd.Data.Formats.ImageFile.Read(Path.Combine(outDir, ComparisonLayout.DiceChartName()));
        Assert.Equal(3, chart.Size(0));
    }

    [Fact]
    public void AnInterruptedComparisonResumesWithoutRedoingFinishedRuns()
    {
        var outDir = Path.Combine(root, "out");
        using var cancel = new CancellationTokenSource();
        var first = new Recorder(stopAt: 1, cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => ComparisonRun.Run(Config("dskd"), outDir, first, cancel.Token));
        Assert.Single(first.Finished);

        var second = new Recorder();
        var rows = ComparisonRun.Run(Config("dskd"), outDir, second);
        Assert.Equal(["supervised-w4-s1", "dskd-w4-s0", "dskd-w4-s1"], second.Started);
        Assert.True(second.Finished[0].Reused);
        Assert.Equal(2, rows[0].Seeds);

        var third = new Recorder();
        ComparisonRun.Run(Config("dskd"), outDir, third);
        Assert.Empty(third.Started);
        Assert.All(third.Finished, f => Assert.True(f.Reused));
    }

    [Fact]
    public void TheSameOptionsInAnotherOrderAreTheSameSettings()
    {
        CompareConfig With(params (string Name, string Value)[] options) => Config("dskd") with
        {
            MethodOptions = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["DSKD"] = options.ToDictionary(o => o.Name, o => o.Value) },
        };
        Assert.Equal(With(("grid", "2"), ("alpha", "0.4")).Validate().ToJson(), With(("alpha", "0.4"), ("grid", "2")).Validate().ToJson());
        Assert.Equal(["dskd"], With(("grid", "2")).Validate().MethodOptions.Keys);
    }

    [Fact]
    public void ACompareJsonWithTheSameTrainingOptionsInAnotherOrderResumes()
    {
        var outDir = Path.Combine(root, "reordered");
        var config = Config() with { Seeds = 1 };
        ComparisonRun.Run(config, outDir);
        string path = new ComparisonLayout(outDir).Config;
        var written = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var training = written["training"]!.AsObject();
        written["training"] = new System.Text.Json.Nodes.JsonObject(training.Reverse().Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
        File.WriteAllText(path, written.ToJsonString());   // as a version that wrote the keys in the order given would have
        var recorder = new Recorder();
        ComparisonRun.Run(config, outDir, recorder);
        Assert.Empty(recorder.Started);   // every run reused
    }

    [Fact]
    public void OtherSettingsInTheSameFolderAreRefused()
    {
        var outDir = Path.Combine(root, "out");
        ComparisonRun.Run(Config() with { Seeds = 1 }, outDir);
        var e = Assert.Throws<OptionException>(() => ComparisonRun.Run(Config() with { Seeds = 2 }, outDir));
        Assert.Contains("other settings", e.Message);
        OptionMessages.Names(e, "out_dir", "or choose another --out-dir");
    }

    [Fact]
    public void AFolderOfOtherFilesIsRefusedAndKept()
    {
        var outDir = Directory.CreateDirectory(Path.Combine(root, "mine")).FullName;
        File.WriteAllText(Path.Combine(outDir, "results.md"), "my results");
        var e = Assert.Throws<IOException>(() => ComparisonRun.Run(Config() with { Seeds = 1 }, outDir));
        Assert.Contains("is not empty and holds no comparison", e.Message);
        Assert.Equal(["results.md"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Equal("my results", File.ReadAllText(Path.Combine(outDir, "results.md")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\": 1}")]
    public void AFolderHoldingACompareJsonThatIsNotAComparisonsIsRefusedAndKept(string theirs)
    {
        var outDir = Directory.CreateDirectory(Path.Combine(root, "theirs")).FullName;
        File.WriteAllText(Path.Combine(outDir, ComparisonLayout.ConfigName), theirs);
        string notes = Path.Combine(Directory.CreateDirectory(Path.Combine(outDir, "runs", "mine")).FullName, "notes.txt");
        File.WriteAllText(notes, "mine");
        var e = Assert.Throws<IOException>(() => ComparisonRun.Run(Config() with { Seeds = 1 }, outDir));
        Assert.Contains("holds a compare.json that is not a comparison's settings", e.Message);
        Assert.Equal(theirs, File.ReadAllText(Path.Combine(outDir, ComparisonLayout.ConfigName)));
        Assert.Equal("mine", File.ReadAllText(notes));
    }

    [Fact]
    public void AComparisonInUseIsRefused()
    {
        var outDir = Path.Combine(root, "out");
        using var held = FolderLock.Acquire(outDir);
        Assert.Contains("in use by another skd command", Assert.Throws<IOException>(() => ComparisonRun.Run(Config() with { Seeds = 1 }, outDir)).Message);
        Assert.False(File.Exists(Path.Combine(outDir, ComparisonLayout.ConfigName)));
    }

    [Fact]
    public void AMistypedDatasetOrABadTrainingOptionDoesNotBlockTheCorrectedCommand()
    {
        var outDir = Path.Combine(root, "out");
        var good = Config() with { Seeds = 1 };
        Assert.Throws<DirectoryNotFoundException>(() => ComparisonRun.Run(good with { Data = Path.Combine(root, "typo") }, outDir));
        Assert.False(File.Exists(Path.Combine(outDir, ComparisonLayout.ConfigName)));
        Assert.Throws<ArgumentException>(() => ComparisonRun.Run(good with { Training = good.Training with { Epochs = 0 } }, outDir));
        Assert.True(File.Exists(Path.Combine(outDir, ComparisonLayout.ConfigName)));   // kept, but no run saved a checkpoint
        Assert.Single(ComparisonRun.Run(good, outDir));
    }

    [Fact]
    public void TemporariesOfAnInterruptedComparisonAreRemoved()
    {
        var outDir = Path.Combine(root, "out");
        ComparisonRun.Run(Config() with { Seeds = 1 }, outDir);
        string leftOver = Path.Combine(outDir, ".results.md.0123abcd.tmp.md");   // as a kill during the write leaves it
        File.WriteAllBytes(leftOver, []);
        ComparisonRun.Run(Config() with { Seeds = 1 }, outDir);
        Assert.False(File.Exists(leftOver));
    }

    [Fact]
    public void AnOfflineMethodGetsOneTeacherTrainedFirst()
    {
        var outDir = Path.Combine(root, "out");
        var recorder = new Recorder();
        var rows = ComparisonRun.Run(Config("kd") with { Seeds = 2 }, outDir, recorder);
        Assert.Equal("teacher-w8", recorder.Started[0]);
        Assert.Single(recorder.Started, s => s.StartsWith("teacher"));
        var kdConfig = TrainConfig.Load(Path.Combine(outDir, "runs", "kd-w4-s1", RunLayout.ConfigName));
        Assert.Equal(Path.Combine(outDir, "runs", "teacher-w8"), kdConfig.Teacher);
        Assert.Equal(["supervised", "kd", "supervised (teacher)"], rows.Select(r => r.Method));
        Assert.Equal(8, rows[2].Width);
    }

    [Fact]
    public void TheReferenceTrainsTheFullWidthUNetWithoutATeacherMethod()
    {
        var outDir = Path.Combine(root, "out");
        var recorder = new Recorder();
        var rows = ComparisonRun.Run(Config("dskd") with { Seeds = 1, Reference = true }, outDir, recorder);
        Assert.Equal(["teacher-w8", "supervised-w4-s0", "dskd-w4-s0"], recorder.Started);
        Assert.Equal(["supervised", "dskd", "supervised (reference)"], rows.Select(r => r.Method));
        Assert.Equal(8, rows[2].Width);
        Assert.Contains("| supervised (reference) | 8 | 1 |", File.ReadAllText(Path.Combine(outDir, "results.md")));
        // Without it, compare.json is as before (comparisons begun earlier resume).
        ComparisonRun.Run(Config() with { Seeds = 1 }, Path.Combine(root, "plain"));
        Assert.DoesNotContain("reference", File.ReadAllText(Path.Combine(root, "plain", "compare.json")));
    }

    [Fact]
    public void AValidationPassScoresTheValSplitAndTheTestPassReusesItsTraining()
    {
        var outDir = Path.Combine(root, "out");
        var data = Skd.Data.SegmentationDataset.Open(TinyData.Vessels(root));
        var valIds = data.Split("val").Select(c => c.Id).ToHashSet();
        var testIds = data.Split("test").Select(c => c.Id).ToHashSet();
        Assert.NotEmpty(valIds);

        var tuning = new Recorder();
        ComparisonRun.Run(Config("dskd") with { Seeds = 1 }, outDir, tuning, split: "val");
        Assert.Equal(2, tuning.Started.Count);
        Assert.All(tuning.Finished, f => Assert.Equal(valIds, f.Outcome.Test.Rows.Select(r => r.CaseId).ToHashSet()));
        Assert.True(File.Exists(Path.Combine(outDir, "results-val.md")));
        Assert.Contains("val score", File.ReadAllText(Path.Combine(outDir, "results-val.md")));
        Assert.False(File.Exists(Path.Combine(outDir, "results.md")));
        Assert.False(File.Exists(Path.Combine(outDir, "runs", "dskd-w4-s0", "test.json")));

        var testing = new Recorder();
        ComparisonRun.Run(Config("dskd") with { Seeds = 1 }, outDir, testing);
        Assert.Empty(testing.Started);                                   // nothing trained again: only scored on test
        Assert.All(testing.Finished, f => Assert.Equal(testIds, f.Outcome.Test.Rows.Select(r => r.CaseId).ToHashSet()));
        Assert.Contains("test score", File.ReadAllText(Path.Combine(outDir, "results.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "runs", "dskd-w4-s0", "val.json")));
        Assert.Contains("must be test or val", Assert.Throws<OptionException>(() => ComparisonRun.Run(Config(), outDir, split: "train")).Message);
    }

    [Fact]
    public void BadSettingsFailBeforeAnythingTrains()
    {
        var outDir = Path.Combine(root, "out");
        Assert.Contains("unknown method", Assert.Throws<ArgumentException>(() => ComparisonRun.Run(Config("nonesuch"), outDir)).Message);
        Assert.Contains("not among the compared methods", Assert.Throws<ArgumentException>(() => ComparisonRun.Run(Config("dskd") with
        {
            MethodOptions = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["acw-skd"] = new Dictionary<string, string> { ["frm"] = "off" } },
        }, outDir)).Message);
        Assert.Contains("set by the comparison itself", Assert.Throws<ArgumentException>(() => ComparisonRun.Run(Config() with
        {
            Training = new TrainOptions { Width = 8 },
        }, outDir)).Message);
        Assert.False(Directory.Exists(Path.Combine(outDir, "runs")));
    }
}
