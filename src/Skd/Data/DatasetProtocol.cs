namespace Skd.Data;

/// <summary>
/// How a dataset is prepared, trained and scored, decided in this one place for every verb
/// (<c>skd train</c>, <c>eval</c>, <c>compare</c>): the intensity normalisation and image
/// interpolation of its slices (<see cref="Preprocessor"/>), the task whose training defaults it
/// gets (<see cref="TaskFor"/>, <see cref="TrainConfig.Defaults"/>) and how a model is scored on it
/// (<see cref="Evaluation"/>). <see cref="Of(SegmentationDataset)"/> reads it from the data; <c>skd eval --protocol NAME</c>
/// names one (<see cref="Parse"/>) to override it.
/// </summary>
public sealed record DatasetProtocol
{
    /// <summary>The name <c>--protocol</c> takes.</summary>
    public required string Name { get; init; }
    /// <summary>One line for <c>--help</c> and the README.</summary>
    public required string Summary { get; init; }
    public IntensityNormalization Normalization { get; init; } = IntensityNormalization.Auto;
    public InterpolationMode ImageInterpolation { get; init; } = InterpolationMode.Bilinear;
    /// <summary>The task whose training defaults the dataset gets; null: from its class count (2: binary, else multi-class).</summary>
    public TrainingTask? Task { get; init; }
    /// <summary>What empty classes score.</summary>
    public EmptyMaskPolicy EmptyMasks { get; init; } = EmptyMaskPolicy.SkipAbsent;
    /// <summary>Whether the protocol fixes inference and metrics (a published test protocol), so that no option may change them.</summary>
    public bool FixesEvaluation { get; init; }

    /// <summary>
    /// TransUNet's Synapse protocol (methods.md §4/§5): slices left as TransUNet stored them (already
    /// in [0, 1]), resized bicubically; multi-class training defaults; every slice resized to the
    /// model's size and back, Dice and HD95 (medpy) per organ per volume in voxel units with
    /// TransUNet's empty-mask rule, background excluded.
    /// </summary>
    public static readonly DatasetProtocol Synapse = new()
    {
        Name = "synapse", Summary = "TransUNet's Synapse protocol: slices as stored, bicubic resizing, multi-class defaults; scored per organ per volume, TransUNet's empty-mask rule, HD95 in voxels (fixed)",
        Normalization = IntensityNormalization.None, ImageInterpolation = InterpolationMode.Bicubic, Task = TrainingTask.Multiclass,
        EmptyMasks = EmptyMaskPolicy.TransUNet, FixesEvaluation = true,
    };

    /// <summary>nnU-Net raw data whose dataset.json names a CT channel (FLARE): windowed to [−125, 275] HU and scaled to [0, 1].</summary>
    public static readonly DatasetProtocol NnUnetCt = new()
    {
        Name = "nnunet-ct", Summary = "CT in nnU-Net's raw layout (a CT channel in dataset.json): windowed to [-125, 275] HU; defaults by class count; classes absent from prediction and label skipped",
        Normalization = IntensityNormalization.CtWindow,
    };

    /// <summary>Two classes (vessels: DCA1, XCAD, coronary angiograms): the binary training defaults.</summary>
    public static readonly DatasetProtocol BinaryVessels = new()
    {
        Name = "binary", Summary = "binary segmentation (vessels): normalisation from the data, binary defaults (Adam, 256x256, flips); classes absent from prediction and label skipped",
        Task = TrainingTask.Binary,
    };

    /// <summary>Any other dataset: normalisation chosen per case from the data, multi-class defaults.</summary>
    public static readonly DatasetProtocol Generic = new()
    {
        Name = "generic", Summary = "anything else: normalisation from the data (8-bit images /255, volumes z-scored), multi-class defaults; classes absent from prediction and label skipped",
        Task = TrainingTask.Multiclass,
    };

    public static IReadOnlyList<DatasetProtocol> All { get; } = [Synapse, NnUnetCt, BinaryVessels, Generic];

    /// <summary>The protocol of a dataset: Synapse's layout, a CT channel, two classes, or generic, in that order.</summary>
    public static DatasetProtocol Of(SegmentationDataset dataset) => Of(dataset.Description);

    /// <inheritdoc cref="Of(SegmentationDataset)"/>
    public static DatasetProtocol Of(DatasetDescription description) =>
        description.Layout == DatasetLayout.Synapse ? Synapse
        : description.ChannelNames.Any(n => n.Equals("CT", StringComparison.OrdinalIgnoreCase)) ? NnUnetCt
        : description.ClassCount == 2 ? BinaryVessels
        : Generic;

    /// <summary>The protocol called <paramref name="name"/>; an unknown name is an error listing them.</summary>
    public static DatasetProtocol Parse(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown protocol '{name}'; the protocols: {string.Join(", ", All.Select(p => p.Name))}");

    /// <summary>The preprocessing of the dataset's slices for a network of <paramref name="size"/>² inputs.</summary>
    public CasePreprocessor Preprocessor(int size) => new() { Size = size, Normalization = Normalization, ImageInterpolation = ImageInterpolation };

    /// <summary>The task whose training defaults a dataset of <paramref name="classes"/> classes (background included) gets.</summary>
    public TrainingTask TaskFor(int classes) => Task ?? (classes == 2 ? TrainingTask.Binary : TrainingTask.Multiclass);

    /// <summary>
    /// How a model is scored on the dataset unless options say otherwise (and always, when
    /// <see cref="FixesEvaluation"/>): resize inference, this protocol's empty-mask rule, medpy's
    /// HD95 in voxels, background excluded.
    /// </summary>
    public EvaluationSettings Evaluation(int batch = 8) =>
        new(new InferenceOptions(InferenceMode.Resize, Batch: batch), new MetricOptions(EmptyMasks), MetricSpacing.Voxels);
}
