using System.CommandLine;
using Skd.Inference;

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
        Description = "Run folder of skd train: its best.safetensors (else last.safetensors).",
    };

    public static readonly Option<string> Mode = new("--mode")
    {
        Description = "resize: every slice resized to the model's size and the prediction resized back (nearest); " +
                      "sliding-window: windows of the model's size at the image's resolution, blended with Gaussian weights (nnU-Net, MONAI).",
        DefaultValueFactory = _ => "resize",
    };

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

    public static readonly Option<string?> Engine = new("--engine")
    {
        Description = $"What runs the model: torch (libtorch) or onnx (ONNX Runtime; a .safetensors model is exported in memory). " +
                      $"Default: {InferenceEngines.Default.ToString().ToLowerInvariant()} (the faster here). Both follow --threads.",
    };

    static InferenceOptionsCli()
    {
        Mode.AcceptOnlyFromAmong("resize", "sliding-window");
        Engine.AcceptOnlyFromAmong("torch", "onnx");
    }

    public static IEnumerable<Option> All(bool withRun) => withRun ? [Checkpoint, Run, Mode, Overlap, Batch, Engine] : [Checkpoint, Mode, Overlap, Batch, Engine];

    /// <summary>The engine of --engine; null when not given (the model file's own).</summary>
    public static InferenceEngineKind? EngineKind(ParseResult parse) => parse.GetValue(Engine) is { } name ? InferenceEngines.Parse(name) : null;

    public static InferenceOptions Options(ParseResult parse) => new InferenceOptions(
        parse.GetValue(Mode) == "sliding-window" ? InferenceMode.SlidingWindow : InferenceMode.Resize,
        parse.GetValue(Overlap), parse.GetValue(Batch)).Validate();

    /// <summary>The model of --checkpoint or --run (exactly one of them).</summary>
    public static string ModelPath(ParseResult parse)
    {
        string? checkpoint = parse.GetValue(Checkpoint), run = parse.GetValue(Run);
        if ((checkpoint is null) == (run is null)) throw new ArgumentException("give the model with --checkpoint FILE or --run RUN_FOLDER (one of them)");
        return checkpoint ?? run!;
    }
}
