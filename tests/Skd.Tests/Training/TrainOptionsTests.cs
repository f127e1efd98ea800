namespace Skd.Tests.Training;

/// <summary>
/// The typed training options: one per config field, under the config's own JSON names, each put over
/// the defaults by <see cref="TrainOptions.Over"/> (a field added to <see cref="TrainConfig"/> and not
/// to the options, or not applied, fails here).
/// </summary>
public sealed class TrainOptionsTests() : TempFolder("skd-trainoptions-")
{
    [Fact]
    public void EveryConfigFieldIsAnOptionOfTheSameJsonName()
    {
        var config = JsonNode.Parse(TinyData.Config(TinyData.Vessels(root), 1).ToJson())!.AsObject().Select(kv => kv.Key);
        var options = typeof(TrainOptions).GetProperties().Select(p => TrainOptions.JsonName(p.Name));
        Assert.Equal(config, options);
    }

    [Fact]
    public void OptionsGivingEveryFieldMakeThatConfigWhateverTheDefaults()
    {
        string data = TinyData.Organs(root);
        var wanted = new TrainConfig
        {
            Data = data, Layout = "nnunet", Channels = ImageChannels.Rgb, Fold = 2, Task = TrainingTask.Binary, Method = "kd",
            MethodOptions = new Dictionary<string, string> { ["tau"] = "2" }, Teacher = "teacher", Width = 8, Depth = 3, Size = 64, Epochs = 3, Batch = 5,
            Optimizer = "adamw", Lr = 0.5, Momentum = 0.7, WeightDecay = 0.01, Schedule = "step", PolyPower = 2, StepEpochs = 4, StepGamma = 0.5,
            Preset = "dskd-reimpl", Augmentation = new() { ZoomProbability = 0.25, MinZoom = 0.8 }, Seed = 9, Device = "cuda:1", ValEvery = 3, Workers = 1, GradNormEvery = 7,
        };
        // The options in their JSON form, as a config file gives them: every field of the config.
        var given = TrainOptions.FromJson(JsonNode.Parse(wanted.ToJson())!.AsObject());
        Assert.Equal(wanted.ToJson(), given.Over(TrainConfig.Defaults(TrainingTask.Multiclass, "elsewhere")).ToJson());
        Assert.Equal(wanted.ToJson(), given.Over(TrainConfig.Defaults(TrainingTask.Binary, "elsewhere")).ToJson());
    }

    [Fact]
    public void TypedOptionsResolveAsTheirJsonFormDoes()
    {
        string data = TinyData.Vessels(root);
        var typed = new TrainOptions { Data = data, Lr = 0.25, Epochs = 7, Augmentation = new JsonObject { ["rot90_probability"] = 0.3 } }.Resolve();
        var json = TrainOptions.FromJson(new JsonObject { ["data"] = data, ["lr"] = 0.25, ["epochs"] = 7, ["augmentation"] = new JsonObject { ["rot90_probability"] = 0.3 } }).Resolve();
        Assert.Equal(json.ToJson(), typed.ToJson());
        Assert.Equal((0.3, 0.5), (typed.Augmentation.Rot90Probability, typed.Augmentation.HorizontalFlipProbability));
    }

    [Fact]
    public void AConfigFileOfTheOptionsIsRead()
    {
        string path = Path.Combine(root, "options.json");
        File.WriteAllText(path, "{\"epochs\": 3, \"task\": \"binary\", \"augmentation\": {\"zoom_probability\": \"often\"}}");
        Assert.Equal($"{path}: augmentation: field 'zoom_probability' is a string (\"often\"): expected a number",
                     Assert.Throws<DataFormatException>(() => TrainOptions.Read(path)).Message);
        File.WriteAllText(path, "{\"epochs\": 3, \"task\": \"binary\"}");
        Assert.Equal(new TrainOptions { Epochs = 3, Task = TrainingTask.Binary }, TrainOptions.Read(path));
    }
}
