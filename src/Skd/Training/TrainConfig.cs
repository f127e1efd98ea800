using System.Text.Json.Serialization;

namespace Skd.Training;

/// <summary>
/// Everything a training run is made of. A run folder keeps it resolved, as <c>config.json</c>
/// (snake_case keys: <c>data</c>, <c>method_options</c>, <c>weight_decay</c>, <c>augmentation</c>
/// with <see cref="AugmentationOptions"/>' fields, ...), so that the run can be resumed and repeated.
/// <para>
/// Defaults depend on the task, which the dataset's <see cref="DatasetProtocol"/> picks (Synapse and
/// other multi-class data: multi-class; 2 classes: binary) unless <see cref="Task"/> says; see <see cref="Defaults"/>. A config file or the command line
/// gives any subset of the fields over them (<see cref="TrainOptions"/>).
/// </para>
/// </summary>
public sealed record TrainConfig
{
    /// <summary>The dataset folder.</summary>
    public required string Data { get; init; }
    /// <summary>Its layout (paired, suffix, nnunet, synapse); null: detected.</summary>
    public string? Layout { get; init; }
    /// <summary>How 2-D images are read, grey or RGB (<see cref="ImageInput"/>); null: as the dataset's first image is stored.</summary>
    public ImageChannels? Channels { get; init; }
    /// <summary>Which fold of a splits.json picks the train and validation cases.</summary>
    public int Fold { get; init; }
    public required TrainingTask Task { get; init; }

    /// <summary>The training method (<see cref="Distillation.Methods"/>) and its options by name.</summary>
    public string Method { get; init; } = "supervised";
    public IReadOnlyDictionary<string, string> MethodOptions { get; init; } = new Dictionary<string, string>();
    /// <summary>The teacher's run folder or model file, for offline distillation.</summary>
    public string? Teacher { get; init; }

    /// <summary>The student U-Net: first-stage channels and pooling stages. [ours] 16: the compact student; 64 is the full U-Net.</summary>
    public int Width { get; init; } = 16;
    public int Depth { get; init; } = 4;

    /// <summary>Side of the square training images (every slice is resized to it).</summary>
    public required int Size { get; init; }
    public required int Epochs { get; init; }
    public required int Batch { get; init; }

    /// <summary>sgd, adam or adamw.</summary>
    public required string Optimizer { get; init; }
    public required double Lr { get; init; }
    /// <summary>SGD's momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;
    public required double WeightDecay { get; init; }
    /// <summary>Learning-rate schedule over the steps of the run: poly, cosine, step or constant.</summary>
    public string Schedule { get; init; } = "poly";
    public double PolyPower { get; init; } = 0.9;
    /// <summary>The step schedule: the rate is multiplied by <see cref="StepGamma"/> every <see cref="StepEpochs"/> epochs.</summary>
    public int StepEpochs { get; init; } = 10;
    public double StepGamma { get; init; } = 0.3;
    /// <summary>The <see cref="TrainPresets"/> protocol the config started from (null: the task's defaults alone).</summary>
    public string? Preset { get; init; }

    public required AugmentationOptions Augmentation { get; init; }

    /// <summary>Seed of the initial weights, the order of the batches and the augmentation.</summary>
    public int Seed { get; init; }
    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Layout of the network's weights and activations: channels-last or contiguous (<see cref="Torch.MemoryFormats"/>).</summary>
    public string MemoryFormat { get; init; } = Torch.MemoryFormats.Name(Torch.MemoryFormats.Default);
    /// <summary>Validation every this many epochs (and after the last).</summary>
    public int ValEvery { get; init; } = 1;
    /// <summary>Threads assembling batches ahead of the training step.</summary>
    public int Workers { get; init; } = 2;
    /// <summary>Measure each loss term's gradient norm at the watched features every this many steps (0: never).</summary>
    public int GradNormEvery { get; init; } = 50;

    /// <summary>
    /// The defaults of a task. Multi-class: TransUNet's Synapse protocol (methods.md §5 [ref]) —
    /// 224×224, SGD lr 0.01, momentum 0.9, weight decay 1e-4, poly decay (power 0.9), batch 24,
    /// 150 epochs; augmentation rot90 (k uniform in 0..3) with probability 0.5 and a horizontal flip
    /// with probability 0.5 ([ours]: TransUNet's random_rot_flip/random_rotate choice is not
    /// expressible with independent probabilities; these two give every dihedral transform).
    /// Binary vessels [ours]: 256×256, Adam lr 1e-3 (the usual Adam rate of U-Net vessel
    /// baselines), no weight decay, the same poly decay, batch 8, 100 epochs, horizontal and vertical
    /// flips with probability 0.5 each (angiograms have a natural orientation, so no rot90). The loss
    /// (0.5 CE + 0.5 Dice for <c>supervised</c>) belongs to the method's options.
    /// </summary>
    public static TrainConfig Defaults(TrainingTask task, string data) => task == TrainingTask.Binary
        ? new TrainConfig
        {
            Data = data, Task = task, Size = 256, Epochs = 100, Batch = 8, Optimizer = "adam", Lr = 1e-3, WeightDecay = 0,
            Augmentation = new AugmentationOptions { HorizontalFlipProbability = 0.5, VerticalFlipProbability = 0.5 },
        }
        : new TrainConfig
        {
            Data = data, Task = task, Size = 224, Epochs = 150, Batch = 24, Optimizer = "sgd", Lr = 0.01, WeightDecay = 1e-4,
            Augmentation = new AugmentationOptions { Rot90Probability = 0.5, HorizontalFlipProbability = 0.5 },
        };

    /// <summary>The defaults for the dataset at <paramref name="data"/>, its task the dataset's protocol's (<see cref="DatasetProtocol.TaskFor"/>) unless given.</summary>
    public static TrainConfig For(string data, string? layout = null, TrainingTask? task = null)
    {
        if (task is null)
        {
            var dataset = SegmentationDataset.Open(data, DatasetLayouts.ParseIfGiven(layout));
            task = DatasetProtocol.Of(dataset).TaskFor(dataset.ClassCount);
        }
        return Defaults(task.Value, data) with { Layout = layout };
    }

    /// <summary>Reads a config.json (a run's, or a file in this form with every field).</summary>
    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such config file", path);
        return JsonFile.Deserialize<TrainConfig>(File.ReadAllText(path), path, Json).Validate();
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public TrainConfig Validate()
    {
        UNetConfig.CheckShape(Width, Depth);
        UNetConfig.CheckSize(Depth, Size, Size);
        Require(Epochs >= 1, nameof(Epochs), $"must be at least 1, got {Epochs}");
        Require(Batch >= 1, nameof(Batch), $"must be at least 1, got {Batch}");
        Require(Lr >= 0 && double.IsFinite(Lr), nameof(Lr), $"must be a non-negative number, got {Lr}");
        Require(WeightDecay >= 0, nameof(WeightDecay), $"must be non-negative, got {WeightDecay}");
        Require(Momentum >= 0, nameof(Momentum), $"must be non-negative, got {Momentum}");
        Require(PolyPower >= 0, nameof(PolyPower), $"must be non-negative, got {PolyPower}");
        Require(Optimizer is "sgd" or "adam" or "adamw", nameof(Optimizer), $"must be sgd, adam or adamw, got '{Optimizer}'");
        Require(Schedule is "poly" or "cosine" or "step" or "constant", nameof(Schedule), $"must be poly, cosine, step or constant, got '{Schedule}'");
        Require(StepEpochs >= 1, nameof(StepEpochs), $"must be at least 1, got {StepEpochs}");
        Require(StepGamma >= 0, nameof(StepGamma), $"must be non-negative, got {StepGamma}");
        if (Preset is not null) TrainPresets.Find(Preset);
        Require(ValEvery >= 1, nameof(ValEvery), $"must be at least 1, got {ValEvery}");
        Require(Workers >= 0, nameof(Workers), $"must be non-negative, got {Workers}");
        Require(GradNormEvery >= 0, nameof(GradNormEvery), $"must be non-negative, got {GradNormEvery}");
        Require(Fold >= 0, nameof(Fold), $"must be non-negative, got {Fold}");
        Torch.Device.Parse(Device);
        Torch.MemoryFormats.Parse(MemoryFormat);
        Augmentation.Validate();
        return this;
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Throws an ArgumentException naming the field by its JSON name unless <paramref name="condition"/> holds.</summary>
    private static void Require(bool condition, string property, string problem)
    {
        if (!condition) throw new ArgumentException($"{TrainOptions.JsonName(property)} {problem}");
    }
}
