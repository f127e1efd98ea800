using Skd.Data;
using Skd.Data.Transforms;
using Skd.Models;
using Skd.Torch;

namespace Skd.Inference;

/// <summary>
/// A trained model applied to whole cases: each slice normalised as the model's training data
/// (<see cref="ModelInfo.Preprocessor"/>), predicted in batches by resizing or by sliding windows
/// (<see cref="InferenceOptions"/>) through an <see cref="IInferenceEngine"/> (libtorch or ONNX Runtime),
/// and argmax'ed to a label map of the case's own size.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly IInferenceEngine engine;
    private readonly CasePreprocessor preprocessor;

    /// <summary>A predictor for a network in memory, run by libtorch; the caller keeps it (disposing the predictor leaves it alive).</summary>
    public Predictor(UNet network, ModelInfo info, InferenceOptions? options = null, string? source = null)
        : this(new TorchEngine(network, ownsNetwork: false), info, options, source)
    {
    }

    /// <summary>A predictor over an engine, which it owns.</summary>
    public Predictor(IInferenceEngine engine, ModelInfo info, InferenceOptions? options = null, string? source = null)
    {
        if (engine.Network != info.Network)
            throw new ArgumentException($"{source ?? "the model"}: the engine runs {engine.Network}, the model description names {info.Network}");
        this.engine = engine;
        Info = info;
        Options = (options ?? new InferenceOptions()).Validate();
        Source = source ?? "the model";
        preprocessor = info.Preprocessor();
    }

    /// <summary>
    /// Loads a model file (or a run folder's best checkpoint, <see cref="ModelFile.Resolve"/>) in <paramref name="engine"/>
    /// (null: the file's own, <see cref="InferenceEngines.Open"/>); the predictor owns the engine.
    /// </summary>
    public static Predictor Load(string runOrFile, InferenceOptions? options = null, InferenceEngineKind? engine = null)
    {
        string path = ModelFile.Resolve(runOrFile);
        var (opened, info) = InferenceEngines.Open(path, engine);
        try
        {
            return new Predictor(opened, info, options, path);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    public ModelInfo Info { get; }
    public InferenceOptions Options { get; }

    /// <summary>Where the model came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The engine that runs the model.</summary>
    public InferenceEngineKind Engine => engine.Kind;

    public int InChannels => engine.Network.InChannels;
    public int Classes => engine.Network.Classes;

    /// <summary>The label map of a case: int64 (D, H, W) on the CPU, the size of its image (D = 1 for a 2-D case).</summary>
    /// <exception cref="ArgumentException">The case's channel count is not the model's.</exception>
    public Tensor Predict(LoadedCase c)
    {
        if (c.Image.Size(0) != InChannels)
            throw new ArgumentException($"{c.Files.Images[0]}: the image has {c.Image.Size(0)} channel(s), but {Source} takes {InChannels}");
        using var scope = new DisposeScope();
        using var noGrad = torch.NoGrad();
        var slices = preprocessor.NormalizedSlices(c).To(engine.Device);
        var labels = Options.Mode == InferenceMode.Resize ? VolumeAssembly.Reassemble(ResizedLabels(slices), c) : SlidingWindowLabels(slices);
        return scope.MoveToOuter(labels.Cpu().Contiguous());
    }

    /// <summary>The argmax (D, S, S) of the slices resized to the model's size S.</summary>
    private Tensor ResizedLabels(Tensor slices)
    {
        bool modelSize = slices.Size(2) == Info.Size && slices.Size(3) == Info.Size;
        return Batched(slices, chunk => engine.Logits(modelSize ? chunk : Resize.Image(chunk, Info.Size, Info.Size, Info.ImageInterpolation)).Argmax(1));
    }

    private Tensor SlidingWindowLabels(Tensor slices) =>
        // Whole-slice logits are (N, K, H, W): a few slices at a time keep them small.
        Batched(slices, chunk => SlidingWindow.Logits(engine.Logits, chunk, Info.Size, Options.Overlap, Options.Batch).Argmax(1));

    /// <summary>Label maps of the slices <see cref="InferenceOptions.Batch"/> at a time, concatenated.</summary>
    private Tensor Batched(Tensor slices, Func<Tensor, Tensor> labels)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < slices.Size(0); start += Options.Batch)
        {
            using var step = new DisposeScope();
            parts.Add(step.MoveToOuter(labels(slices.Narrow(0, start, Math.Min(Options.Batch, slices.Size(0) - start)))));
        }
        return torch.Cat(parts, 0);
    }

    public void Dispose() => engine.Dispose();
}
