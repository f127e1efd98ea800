namespace Skd.Cli.Commands;

/// <summary>The options of the verbs that run a model (eval, predict): which model and how it predicts an image.</summary>
internal static class InferenceOptionsCli
{
    public static readonly Option<string?> Checkpoint = new("--checkpoint")
    {
        Description = "Model file: .safetensors written by skd train (the student's weights and its preprocessing), or .onnx written by skd export.",
    };

    public static readonly Option<string?> Run = new("--run")
    {
        Description = $"Run folder of skd train: its {RunLayout.BestName} (else {RunLayout.LastName}).",
    };

    public static readonly Option<string> Mode = ChoiceOption.DefaultFirst("--mode", ["resize", "sliding-window"],
        "resize: every slice resized to the model's size and the prediction resized back (nearest); " +
        "sliding-window: windows of the model's size at the image's resolution, blended with Gaussian weights (nnU-Net, MONAI).");

    public static readonly Option<double> Overlap = new("--overlap")
    {
        Description = "Sliding windows: fraction of a window shared with the next, in [0, 1).",
        DefaultValueFactory = _ => 0.5,
    };

    public static readonly Option<int> Batch = new("--batch")
    {
        Description = "Slices (resize) or windows (sliding-window) per forward pass.",
        DefaultValueFactory = _ => 8,
    };

    public static readonly Option<string?> Engine = ChoiceOption.Optional("--engine", ["torch", "onnx"],
        $"What runs the model: torch (libtorch) or onnx (ONNX Runtime; a .safetensors model is exported in memory). " +
        $"Default: {InferenceEngines.Default.ToString().ToLowerInvariant()} (the faster here). Both follow --threads.");

    public static readonly Option<string?> Device = new("--device")
    {
        Description = "Where the torch engine runs: cpu, cuda or cuda:N (default cpu). A GPU makes torch the engine when --engine is not given; ONNX Runtime runs on the CPU.",
    };

    public static readonly Option<bool> Tta = new("--tta")
    {
        Description = "Test-time augmentation: each slice also predicted mirrored left-right, up-down and both (nnU-Net's 2-D mirroring); the four softmax maps averaged, then argmax. 4x the time.",
    };

    public static readonly Option<string?> KeepLargest = new("--keep-largest")
    {
        Description = "Post-processing: keep only the largest connected component of each foreground class (face connectivity: 4 neighbours in 2-D, 6 in a volume, as scipy.ndimage.label and nnU-Net); " +
                      "removed pixels become background. Optionally only for the classes listed, comma-separated: --keep-largest 1,3.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>Predict and eval: the probabilities beside the label maps they write (<see cref="PredictionFiles.WriteProbabilities"/>).</summary>
    public static readonly Option<bool> SaveProbabilities = new("--save-probabilities")
    {
        Description = "Also write the softmax probabilities, float32, beside each label map written: NAME_probabilities.npz (array 'probabilities', K x H x W) for images, " +
                      "NAME_probabilities.nii.gz (4-D, the input's geometry, classes along the 4th axis) for volumes.",
    };

    public static IEnumerable<Option> All(bool withRun) => [Checkpoint, .. withRun ? [Run] : Array.Empty<Option>(), Mode, Overlap, Batch, Engine, MemoryFormatOption.Option, Device, Tta, KeepLargest];

    /// <summary>The engine of --engine; null when not given (the model file's own).</summary>
    public static InferenceEngineKind? EngineKind(ParseResult parse) => parse.GetValue(Engine) is { } name ? InferenceEngines.Parse(name) : null;

    public static InferenceOptions Options(ParseResult parse) => WithPrediction(parse, new InferenceOptions(
        parse.GetValue(Mode) == "sliding-window" ? InferenceMode.SlidingWindow : InferenceMode.Resize,
        parse.GetValue(Overlap), parse.GetValue(Batch))).Validate();

    /// <summary><paramref name="options"/> with the mirroring of --tta, the post-processing of --keep-largest, the layout of --memory-format and the device of --device.</summary>
    public static InferenceOptions WithPrediction(ParseResult parse, InferenceOptions options) =>
        options with
        {
            Mirror = parse.GetValue(Tta),
            KeepLargest = parse.GetResult(KeepLargest) is null ? null : Classes(parse.GetValue(KeepLargest)),
            MemoryFormat = MemoryFormatOption.Value(parse) ?? options.MemoryFormat,
            Device = parse.GetValue(Device) is { } device ? Torch.Device.Parse(device) : options.Device,
        };

    /// <summary>The classes of --keep-largest: none listed (all foreground classes), or comma-separated class ids.</summary>
    private static IReadOnlyList<int> Classes(string? list) =>
        string.IsNullOrWhiteSpace(list) ? []
            : list.Split(',', StringSplitOptions.TrimEntries).Select(v => int.TryParse(v, out int k) ? k
                : throw new ArgumentException($"--keep-largest takes class ids separated by commas (e.g. 1,3), got '{list}'")).Distinct().ToList();

    /// <summary>The model of --checkpoint or --run (exactly one of them).</summary>
    public static string ModelPath(ParseResult parse)
    {
        string? checkpoint = parse.GetValue(Checkpoint), run = parse.GetValue(Run);
        if ((checkpoint is null) == (run is null)) throw new ArgumentException("give the model with --checkpoint FILE or --run RUN_FOLDER (one of them)");
        return checkpoint ?? run!;
    }
}
