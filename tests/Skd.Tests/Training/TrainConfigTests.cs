namespace Skd.Tests.Training;

/// <summary>Per-task defaults read from the data, overrides over them, and the errors of a bad config.</summary>
public sealed class TrainConfigTests() : TempFolder("skd-trainconfig-")
{
    private static TrainConfig Resolve(JsonObject given) => TrainOptions.FromJson(given).Resolve();

    [Fact]
    public void TwoClassesGiveTheBinaryVesselDefaults()
    {
        var config = TrainConfig.For(TinyData.Vessels(root));
        Assert.Equal(TrainingTask.Binary, config.Task);
        Assert.Equal(("adam", 1e-3, 0.0, 256), (config.Optimizer, config.Lr, config.WeightDecay, config.Size));
        Assert.Equal((0.5, 0.5, 0.0), (config.Augmentation.HorizontalFlipProbability, config.Augmentation.VerticalFlipProbability, config.Augmentation.Rot90Probability));
    }

    [Fact]
    public void SeveralClassesGiveTheSynapseProtocol()
    {
        var config = TrainConfig.For(TinyData.Organs(root));
        Assert.Equal(TrainingTask.Multiclass, config.Task);
        Assert.Equal(("sgd", 0.01, 0.9, 1e-4), (config.Optimizer, config.Lr, config.Momentum, config.WeightDecay));
        Assert.Equal(("poly", 0.9, 224, 24), (config.Schedule, config.PolyPower, config.Size, config.Batch));
        Assert.Equal((0.5, 0.5), (config.Augmentation.Rot90Probability, config.Augmentation.HorizontalFlipProbability));
    }

    [Fact]
    public void GivenFieldsOverrideTheTaskDefaultsFieldByField()
    {
        string data = TinyData.Vessels(root);
        var config = Resolve(new JsonObject
        {
            ["data"] = data, ["lr"] = 0.25, ["epochs"] = 7, ["size"] = 64,
            ["augmentation"] = new JsonObject { ["rot90_probability"] = 0.3 },
            ["method_options"] = new JsonObject { ["ce-weight"] = "1" },
        });
        Assert.Equal((0.25, 7, 64), (config.Lr, config.Epochs, config.Size));
        Assert.Equal("adam", config.Optimizer);                                       // the binary default, not overridden
        Assert.Equal(0.3, config.Augmentation.Rot90Probability);
        Assert.Equal(0.5, config.Augmentation.HorizontalFlipProbability);              // the rest of the object kept
        Assert.Equal("1", config.MethodOptions["ce-weight"]);

        var forced = Resolve(new JsonObject { ["data"] = data, ["task"] = "multiclass" });
        Assert.Equal(("sgd", 224), (forced.Optimizer, forced.Size));
    }

    [Fact]
    public void TheJsonFormRoundTrips()
    {
        var config = TinyData.Config(TinyData.Organs(root), 3) with { MethodOptions = new Dictionary<string, string> { ["dice-weight"] = "0.2" } };
        string path = Path.Combine(root, "config.json");
        File.WriteAllText(path, config.ToJson());
        var read = TrainConfig.Load(path);
        Assert.Equal(config.ToJson(), read.ToJson());
        Assert.Equal(config.Augmentation, read.Augmentation);
    }

    [Fact]
    public void MistakesAreNamed()
    {
        string data = TinyData.Vessels(root);
        Assert.Contains("give 'data'", Assert.Throws<OptionException>(() => Resolve(new JsonObject { ["lr"] = 1 })).Message);
        Assert.Contains("unknown training option 'lrr'", Assert.Throws<ArgumentException>(() => Resolve(new JsonObject { ["data"] = data, ["lrr"] = 1 })).Message);
        Assert.Contains("'augmentation.flip'", Assert.Throws<ArgumentException>(() =>
            Resolve(new JsonObject { ["data"] = data, ["augmentation"] = new JsonObject { ["flip"] = 1 } })).Message);
        Assert.Contains("epochs", Assert.Throws<ArgumentException>(() => Resolve(new JsonObject { ["data"] = data, ["epochs"] = 0 })).Message);
        Assert.Contains("optimizer", Assert.Throws<ArgumentException>(() => Resolve(new JsonObject { ["data"] = data, ["optimizer"] = "lbfgs" })).Message);
        Assert.Contains("multiples of 16", Assert.Throws<ArgumentException>(() => Resolve(new JsonObject { ["data"] = data, ["size"] = 40 })).Message);
        Assert.Equal("the training options: field 'epochs' is a string (\"many\"): expected a whole number",
                     Assert.Throws<DataFormatException>(() => Resolve(new JsonObject { ["data"] = data, ["epochs"] = "many" })).Message);
        Assert.Equal("the training options: field 'task' is a string (\"regression\"): expected one of \"multiclass\", \"binary\"",
                     Assert.Throws<DataFormatException>(() => Resolve(new JsonObject { ["data"] = data, ["task"] = "regression" })).Message);
        Assert.Equal("the training options: field 'data' is a number (5): expected a string",
                     Assert.Throws<DataFormatException>(() => Resolve(new JsonObject { ["data"] = 5 })).Message);
    }
}
