namespace Skd.Tests.Training;

/// <summary>Training runs end to end on tiny data: the run folder, exact resume, and the stop on a NaN loss.</summary>
[Collection(SerialCollection.Name)]
public sealed class TrainingRunTests() : TempFolder("skd-train-")
{
    private string Run(string name) => Path.Combine(root, name);

    [Fact]
    public void ARunFolderHoldsConfigLogCheckpointsAndCurves()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 2) with { Workers = 2 };
        long live = torch.LiveTensorCount;
        var result = TrainingRun.Start(config, Run("a"));

        Assert.Equal(live, torch.LiveTensorCount);
        Assert.Equal(2, result.Epochs);
        var saved = TrainConfig.Load(result.ConfigPath);
        Assert.Equal(Path.GetFullPath(config.Data), saved.Data);
        Assert.Equal(new Dictionary<string, string> { ["ce-weight"] = "0.5", ["dice-weight"] = "0.5" }, saved.MethodOptions);

        var log = RunFolder.ReadLog(result.LogPath);
        Assert.Equal([1, 2], log.Select(r => r.Epoch));
        foreach (var record in log)
        {
            Assert.Equal(["ce", "dice"], record.Loss.Keys);
            Assert.Equal(record.Loss.Values.Sum(), record.Total, 1e-9);
            Assert.InRange(record.ValDice!.Value, 0, 1);
            Assert.True(record.Lr > 0 && record.Seconds > 0);
        }
        Assert.Equal(log.Max(r => r.ValDice), result.BestScore);

        var (best, bestInfo) = ModelFile.Load(result.BestPath);
        var (last, lastInfo) = ModelFile.Load(result.LastPath);
        using (best)
        using (last)
        {
            Assert.Equal(new UNetConfig(1, 2, 4, 2), bestInfo.Network);
            Assert.Equal((32, "supervised"), (lastInfo.Size, lastInfo.Method));
            Assert.Equal(best.StateDict().Select(kv => kv.Key), last.StateDict().Select(kv => kv.Key));
        }
        var header = Safetensors.ReadHeader(result.LastPath);
        Assert.Contains(header.Tensors, t => t.Name.StartsWith("optimizer.state.", StringComparison.Ordinal));
        Assert.Equal(2, TrainingState.Parse(result.LastPath, header.Metadata[TrainingState.MetadataKey]).EpochsDone);

        using var curves = ImageFile.Read(result.CurvesPath);
        Assert.Equal([3, 2 * Charts.DefaultHeight, 2 * Charts.DefaultWidth], curves.Shape);   // loss, Dice; weights, gradient norms at F
        var first = Charts.SeriesColour(0);
        var pixels = curves.Permute(1, 2, 0).Contiguous().ToArray<byte>();
        Assert.Contains(Enumerable.Range(0, pixels.Length / 3), i => pixels[3 * i] == first.R && pixels[3 * i + 1] == first.G && pixels[3 * i + 2] == first.B);
    }

    [Fact]
    public void AStartedRunRefusesAFolderInUse()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 1);
        TrainingRun.Start(config, Run("a"));
        OptionMessages.Names(Assert.Throws<IOException>(() => TrainingRun.Start(config, Run("a"))), "resume", $"continue it with --resume {Run("a")}");
    }

    [Fact]
    public void ARunFolderLockedByAnotherCommandIsRefusedByStartAndResume()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 1);
        TrainingRun.Start(config, Run("a"));
        using (FolderLock.Acquire(Run("a")))
            Assert.Contains("in use by another skd command", Assert.Throws<IOException>(() => TrainingRun.Resume(Run("a"))).Message);
        using (FolderLock.Acquire(Run("b")))
            Assert.Contains("in use by another skd command", Assert.Throws<IOException>(() => TrainingRun.Start(config, Run("b"))).Message);
        Assert.Equal(1, TrainingRun.Resume(Run("a")).Epochs);   // released: the run is complete and says so
        Assert.Equal(1, TrainingRun.Start(config, Run("b")).Epochs);
    }

    [Theory]
    [InlineData(true)]    // killed while writing the first last.safetensors: config.json and a temporary
    [InlineData(false)]   // killed while writing config.json: a temporary only
    public void ARunKilledBeforeItsFirstCheckpointRestartsCleanly(bool configWritten)
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 1);
        TrainingRun.Start(config, Run("done"));
        foreach (var name in new[] { "start", "resume" })
        {
            Directory.CreateDirectory(Run(name));
            if (configWritten) File.Copy(Path.Combine(Run("done"), RunLayout.ConfigName), Path.Combine(Run(name), RunLayout.ConfigName));
            File.WriteAllBytes(Path.Combine(Run(name), configWritten ? ".last.safetensors.0123.tmp.safetensors" : ".config.json.0123.tmp.json"), []);
            File.WriteAllBytes(Path.Combine(Run(name), FolderLock.FileName), []);   // as a killed command leaves it, unlocked
        }
        Assert.Equal(1, TrainingRun.Start(config, Run("start")).Epochs);
        Assert.Empty(Directory.GetFiles(Run("start"), AtomicFile.TemporaryPattern));
        if (configWritten) Assert.Equal(1, TrainingRun.Resume(Run("resume")).Epochs);
        else OptionMessages.Names(Assert.Throws<FileNotFoundException>(() => TrainingRun.Resume(Run("resume"))), "run_dir", "start it again with --run-dir");
    }

    [Fact]
    public void AFolderOfOtherFilesOrInsideTheDatasetIsRefused()
    {
        string data = TinyData.Vessels(root);
        var config = TinyData.Config(data, epochs: 1);
        Directory.CreateDirectory(Run("mine"));
        File.WriteAllText(Path.Combine(Run("mine"), "notes.txt"), "mine");
        Assert.Contains("holds no run (notes.txt)", Assert.Throws<IOException>(() => TrainingRun.Start(config, Run("mine"))).Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Run("mine"), "notes.txt")));
        Assert.Contains("inside the dataset folder", Assert.Throws<ArgumentException>(() => TrainingRun.Start(config, Path.Combine(data, "run"))).Message);
        Assert.False(Directory.Exists(Path.Combine(data, "run")));
    }

    [Fact]
    public void AFolderHoldingAConfigJsonThatIsNotARunsIsRefusedAndKept()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 1);
        string theirs = Path.Combine(Directory.CreateDirectory(Run("theirs")).FullName, RunLayout.ConfigName);
        File.WriteAllText(theirs, "{\"theme\": \"dark\"}");
        Assert.Contains("holds a config.json that is not a run's settings", Assert.Throws<IOException>(() => TrainingRun.Start(config, Run("theirs"))).Message);
        Assert.Equal("{\"theme\": \"dark\"}", File.ReadAllText(theirs));
    }

    [Fact]
    public void AResumedRunEndsWithTheWeightsOfAnUninterruptedOne()
    {
        // Multi-class data: SGD with momentum, rot90 and flips, so every kind of state is exercised.
        var config = TinyData.Config(TinyData.Organs(root), epochs: 3) with { Batch = 3 };
        TrainingRun.Start(config, Run("straight"));

        using var cancel = new CancellationTokenSource();
        var stopper = new StopAt(epoch: 1, step: 0, cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Start(config, Run("resumed"), stopper, cancel.Token));
        Assert.Single(RunFolder.ReadLog(Path.Combine(Run("resumed"), RunLayout.LogName)));
        string halfWritten = Path.Combine(Run("resumed"), ".last.safetensors.0123abcd.tmp.safetensors");   // as a kill during a write leaves
        File.WriteAllBytes(halfWritten, [1, 2, 3]);
        var result = TrainingRun.Resume(Run("resumed"));
        Assert.False(File.Exists(halfWritten));

        Assert.Equal(3, result.Epochs);
        using var expected = Safetensors.Load(Path.Combine(Run("straight"), RunLayout.LastName));
        using var actual = Safetensors.Load(result.LastPath);
        Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in expected.Tensors)
            Assert.True(Bytes(tensor).SequenceEqual(Bytes(actual.Tensors[name])), $"{name} differs after resume");
        Assert.Equal(RunFolder.ReadLog(Path.Combine(Run("straight"), RunLayout.LogName)).Select(r => r.Total),
                     RunFolder.ReadLog(result.LogPath).Select(r => r.Total));
    }

    [Fact]
    public void ANaNLossStopsTheRunNamingEpochStepAndTermAndKeepsTheLastCheckpoint()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 3) with { Method = NanAtStepMethod.Info.Name };
        var watcher = new CheckpointWatcher(Path.Combine(Run("nan"), RunLayout.LastName));
        var e = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Start(config, Run("nan"), watcher, method: NanAtStepMethod.Info));
        Assert.Contains("epoch 2, step 2", e.Message);
        Assert.Contains("last.safetensors) holds the end of epoch 1", e.Message);
        Assert.Contains("'boom'", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Equal((1, 1, "boom"), (e.Epoch, e.Step, e.Term));
        Assert.NotNull(watcher.AfterFirstEpoch);
        Assert.Equal(watcher.AfterFirstEpoch, File.ReadAllBytes(Path.Combine(Run("nan"), RunLayout.LastName)));
        Assert.Empty(Directory.GetFiles(Run("nan"), AtomicFile.TemporaryPattern));
    }

    [Fact]
    public void ADivergedRunSaysWhatItsLastCheckpointHolds()
    {
        Assert.Contains("last.safetensors) holds the initial weights", TrainingDivergedException.Loss(0, 1, "ce", double.NaN).Message);
        Assert.Contains("last.safetensors) holds the end of epoch 3", TrainingDivergedException.Weights(3, 0, "student.inc.weight").Message);
    }

    [Fact]
    public void AnUpdateThatMakesAWeightInfiniteStopsTheRunAndSavesNothingNonFinite()
    {
        // Adam at lr 1e6 keeps the loss finite while BatchNorm's running variances overflow.
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 4) with { Lr = 1e6 };
        var e = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Start(config, Run("inf")));
        Assert.Contains("NaN or infinite", e.Message);
        Assert.Contains($"'{e.Term}'", e.Message);
        Assert.StartsWith("student.", e.Term);
        foreach (var file in new[] { RunLayout.LastName, RunLayout.BestName }.Select(f => Path.Combine(Run("inf"), f)).Where(File.Exists))
        {
            using var saved = Safetensors.Load(file);
            foreach (var (name, tensor) in saved.Tensors.Where(t => t.Value.DType.IsFloatingPoint()))
                Assert.True(tensor.IsFinite().All().Item<bool>(), $"{file}: {name} is not finite");
        }
    }

    /// <summary>A tensor's values as bytes, for exact comparisons of saved weights.</summary>
    internal static byte[] Bytes(Tensor t) => t.DType switch
    {
        DType.Int64 => t.ToArray<long>().SelectMany(BitConverter.GetBytes).ToArray(),
        DType.Float64 => t.ToArray<double>().SelectMany(BitConverter.GetBytes).ToArray(),
        _ => t.ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray(),
    };

    /// <summary>Cancels the run when the given step of the given epoch has finished.</summary>
    private sealed class StopAt(int epoch, int step, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void StepCompleted(StepProgress progress)
        {
            if (progress.Epoch == epoch && progress.Step == step) cancel.Cancel();
        }
    }

    /// <summary>Keeps the bytes of last.safetensors as the first epoch left them.</summary>
    private sealed class CheckpointWatcher(string path) : ITrainingObserver
    {
        public byte[]? AfterFirstEpoch { get; private set; }

        public void EpochCompleted(EpochRecord record, bool isBest)
        {
            if (record.Epoch == 1) AfterFirstEpoch = File.ReadAllBytes(path);
        }
    }
}
