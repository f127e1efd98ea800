using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Skd.Training;

/// <summary>
/// The training options someone gave: any subset of <see cref="TrainConfig"/>'s fields, null where
/// not given. A config file fills it from JSON (<see cref="FromJson"/>, the keys <see cref="TrainConfig"/>'s
/// JSON names, derived from the properties by the naming policy), <c>skd train</c> and
/// <c>skd compare</c> from their flags, <c>skd compare</c> per run; <see cref="Resolve"/> puts it over the
/// dataset's defaults. <see cref="Augmentation"/> is a part of <see cref="AugmentationOptions"/>' JSON
/// form (its fields over the defaults' one by one); <see cref="MethodOptions"/> go over the defaults' name by name.
/// </summary>
public sealed record TrainOptions
{
    public string? Data { get; init; }
    public string? Layout { get; init; }
    public ImageChannels? Channels { get; init; }
    public int? Fold { get; init; }
    public TrainingTask? Task { get; init; }
    public string? Method { get; init; }
    public IReadOnlyDictionary<string, string>? MethodOptions { get; init; }
    public string? Teacher { get; init; }
    public int? Width { get; init; }
    public int? Depth { get; init; }
    public int? Size { get; init; }
    public int? Epochs { get; init; }
    public int? Batch { get; init; }
    public string? Optimizer { get; init; }
    public double? Lr { get; init; }
    public double? Momentum { get; init; }
    public double? WeightDecay { get; init; }
    public string? Schedule { get; init; }
    public double? PolyPower { get; init; }
    public int? StepEpochs { get; init; }
    public double? StepGamma { get; init; }
    public string? Preset { get; init; }
    public JsonObject? Augmentation { get; init; }
    public int? Seed { get; init; }
    public string? Device { get; init; }
    public string? MemoryFormat { get; init; }
    public int? ValEvery { get; init; }
    public int? Workers { get; init; }
    public int? GradNormEvery { get; init; }

    /// <summary>The JSON name of a property of <see cref="TrainConfig"/> or of this record (<c>nameof(TrainOptions.WeightDecay)</c>: <c>weight_decay</c>).</summary>
    public static string JsonName(string property) => Json.PropertyNamingPolicy!.ConvertName(property);

    /// <summary>
    /// The config that these options make: the dataset's defaults (<see cref="TrainConfig.For"/>), the
    /// <see cref="Preset"/> over them (<see cref="TrainPresets"/>), then every given field, validated.
    /// </summary>
    public TrainConfig Resolve()
    {
        string data = Data ?? throw new OptionException(o => $"no dataset: give {o(JsonName(nameof(Data)))} (the dataset folder)");
        var defaults = TrainConfig.For(data, Layout, Task);
        if (Preset is not null) defaults = TrainPresets.Find(Preset).Apply(defaults) with { Preset = Preset };
        return Over(defaults).Validate();
    }

    /// <summary>These options over <paramref name="config"/>: each given field replaces its own, the parts of <see cref="Augmentation"/> and <see cref="MethodOptions"/> field by field.</summary>
    public TrainConfig Over(TrainConfig config) => config with
    {
        Data = Data ?? config.Data,
        Layout = Layout ?? config.Layout,
        Channels = Channels ?? config.Channels,
        Fold = Fold ?? config.Fold,
        Task = Task ?? config.Task,
        Method = Method ?? config.Method,
        MethodOptions = MethodOptions is null ? config.MethodOptions : config.MethodOptions.Where(kv => !MethodOptions.ContainsKey(kv.Key)).Concat(MethodOptions).ToDictionary(),
        Teacher = Teacher ?? config.Teacher,
        Width = Width ?? config.Width,
        Depth = Depth ?? config.Depth,
        Size = Size ?? config.Size,
        Epochs = Epochs ?? config.Epochs,
        Batch = Batch ?? config.Batch,
        Optimizer = Optimizer ?? config.Optimizer,
        Lr = Lr ?? config.Lr,
        Momentum = Momentum ?? config.Momentum,
        WeightDecay = WeightDecay ?? config.WeightDecay,
        Schedule = Schedule ?? config.Schedule,
        PolyPower = PolyPower ?? config.PolyPower,
        StepEpochs = StepEpochs ?? config.StepEpochs,
        StepGamma = StepGamma ?? config.StepGamma,
        Preset = Preset ?? config.Preset,
        Augmentation = Augmentation is null ? config.Augmentation : AugmentationOver(config.Augmentation, Augmentation, "the training options"),
        Seed = Seed ?? config.Seed,
        Device = Device ?? config.Device,
        MemoryFormat = MemoryFormat ?? config.MemoryFormat,
        ValEvery = ValEvery ?? config.ValEvery,
        Workers = Workers ?? config.Workers,
        GradNormEvery = GradNormEvery ?? config.GradNormEvery,
    };

    /// <summary>
    /// The options a JSON object gives (a config file's contents). A key that is no option (the
    /// options are <see cref="TrainConfig"/>'s JSON names), or a value of the wrong type, is an error
    /// naming <paramref name="source"/>.
    /// </summary>
    public static TrainOptions FromJson(JsonObject given, string source = "the training options")
    {
        CheckKeys(given, typeof(TrainOptions), "");
        var options = JsonFile.Deserialize<TrainOptions>(given.ToJsonString(), source, Json);
        if (options.Augmentation is { } augmentation)
        {
            CheckKeys(augmentation, typeof(AugmentationOptions), JsonName(nameof(Augmentation)) + ".");
            AugmentationOver(new AugmentationOptions(), augmentation, source);
        }
        return options;
    }

    /// <summary>The options of a JSON file.</summary>
    public static TrainOptions Read(string path) => FromJson(JsonFile.ReadObject(path), path);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>TrainConfig's JSON form; fields not given are left out.</summary>
    internal static readonly JsonSerializerOptions Json = ReadOnly(new(TrainConfig.Json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);   // so that GetTypeInfo lists the JSON names
        return options;
    }

    private static AugmentationOptions AugmentationOver(AugmentationOptions defaults, JsonObject given, string source)
    {
        var merged = (JsonObject)JsonSerializer.SerializeToNode(defaults, TrainConfig.Json)!;
        foreach (var (key, value) in given) merged[key] = value?.DeepClone();
        return JsonFile.Deserialize<AugmentationOptions>(merged.ToJsonString(), $"{source}: {JsonName(nameof(Augmentation))}", TrainConfig.Json);
    }

    /// <summary>Refuses a key that is not a JSON name of <paramref name="type"/>'s properties, listing them.</summary>
    private static void CheckKeys(JsonObject given, Type type, string path)
    {
        var names = Json.GetTypeInfo(type).Properties.Select(p => p.Name).ToList();
        if (given.Select(kv => kv.Key).FirstOrDefault(key => !names.Contains(key)) is { } unknown)
            throw new ArgumentException($"unknown training option '{path}{unknown}'; the options: {string.Join(", ", names.Select(n => path + n))}");
    }
}
