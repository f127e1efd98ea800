namespace Skd.Tests.Training;

/// <summary>Named training presets (the DSKD re-implementation's protocol) between the task's defaults and the given options, and the step schedule they use.</summary>
[Collection(SerialCollection.Name)]
public sealed class TrainPresetTests() : TempFolder("skd-preset-")
{
    private static TrainConfig Resolve(JsonObject given) => TrainOptions.FromJson(given).Resolve();

    [Fact]
    public void ThePresetSetsItsFieldsAndGivenOptionsStillWin()
    {
        string data = TinyData.Vessels(root);
        var config = Resolve(new JsonObject { ["data"] = data, ["preset"] = "dskd-reimpl", ["epochs"] = 5 });
        Assert.Equal(("adamw", 1e-3, 1e-5, "step"), (config.Optimizer, config.Lr, config.WeightDecay, config.Schedule));
        Assert.Equal((10, 0.3, 4, 256), (config.StepEpochs, config.StepGamma, config.Batch, config.Size));
        Assert.Equal(5, config.Epochs);
        Assert.Equal("dskd-reimpl", config.Preset);
        // Recorded in config.json, read back without applying it again.
        string path = Path.Combine(root, "config.json");
        File.WriteAllText(path, config.ToJson());
        Assert.Equal(config.ToJson(), TrainConfig.Load(path).ToJson());

        var plain = Resolve(new JsonObject { ["data"] = data });
        Assert.Equal((null, "adam", "poly", 100), (plain.Preset, plain.Optimizer, plain.Schedule, plain.Epochs));
    }

    [Fact]
    public void AnUnknownPresetListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(new JsonObject { ["data"] = TinyData.Vessels(root), ["preset"] = "paper" }));
        Assert.Contains("unknown training preset 'paper'", e.Message);
        Assert.Contains("dskd-reimpl", e.Message);
        var noStep = TrainConfig.For(TinyData.Vessels(root)) with { StepEpochs = 0 };
        Assert.Contains("step_epochs", Assert.Throws<ArgumentException>(() => noStep.Validate()).Message);
    }

    [Fact]
    public void TheStepScheduleMultipliesTheRateEveryStepEpochs()
    {
        var config = TinyData.Config(TinyData.Vessels(root), epochs: 3) with { Schedule = "step", StepEpochs = 2, StepGamma = 0.5, Lr = 0.01 };
        var result = TrainingRun.Start(config, Path.Combine(root, "run"));
        var lrs = RunFolder.ReadLog(result.LogPath).Select(r => r.Lr).ToArray();
        Assert.Equal([0.01, 0.01, 0.005], lrs);
    }
}
