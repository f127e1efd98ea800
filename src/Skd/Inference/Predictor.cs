using Skd.Data;
using Skd.Data.Transforms;
using Skd.Models;
using Skd.Torch;

namespace Skd.Inference;

/// <summary>
/// A trained model applied to whole cases: each slice normalised as the model's training data
/// (<see cref="ModelInfo.Preprocessor"/>), predicted in batches by resizing or by sliding windows
/// (<see cref="InferenceOptions"/>), and argmax'ed to a label map of the case's own size.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly UNet network;
    private readonly CasePreprocessor preprocessor;
    private bool ownsNetwork;

    /// <summary>A predictor for a network in memory; the caller keeps it (disposing the predictor leaves it alive).</summary>
    public Predictor(UNet network, ModelInfo info, InferenceOptions? options = null, string? source = null)
    {
        this.network = network;
        Info = info;
        Options = (options ?? new InferenceOptions()).Validate();
        Source = source ?? "the model";
        preprocessor = info.Preprocessor();
        network.Eval();
    }

    /// <summary>Loads a model file (or a run folder's best checkpoint, <see cref="ModelFile.Resolve"/>); the predictor owns the network.</summary>
    public static Predictor Load(string runOrFile, InferenceOptions? options = null)
    {
        string path = ModelFile.Resolve(runOrFile);
        var (network, info) = ModelFile.Load(path);
        return new Predictor(network, info, options, path) { ownsNetwork = true };
    }

    public ModelInfo Info { get; }
    public InferenceOptions Options { get; }

    /// <summary>Where the model came from, for messages.</summary>
    public string Source { get; }

    public int InChannels => network.Config.InChannels;
    public int Classes => network.Config.Classes;

    /// <summary>The label map of a case: int64 (D, H, W) on the CPU, the size of its image (D = 1 for a 2-D case).</summary>
    /// <exception cref="ArgumentException">The case's channel count is not the model's.</exception>
    public Tensor Predict(LoadedCase c)
    {
        if (c.Image.Size(0) != InChannels)
            throw new ArgumentException($"{c.Files.Images[0]}: the image has {c.Image.Size(0)} channel(s), but {Source} takes {InChannels}");
        using var scope = new DisposeScope();
        using var noGrad = torch.NoGrad();
        var slices = preprocessor.NormalizedSlices(c).To(network.Parameters().First().Device);
        var labels = Options.Mode == InferenceMode.Resize ? VolumeAssembly.Reassemble(ResizedLabels(slices), c) : SlidingWindowLabels(slices);
        return scope.MoveToOuter(labels.Cpu().Contiguous());
    }

    /// <summary>The argmax (D, S, S) of the slices resized to the model's size S.</summary>
    private Tensor ResizedLabels(Tensor slices)
    {
        bool modelSize = slices.Size(2) == Info.Size && slices.Size(3) == Info.Size;
        return Batched(slices, chunk => network.Logits(modelSize ? chunk : Resize.Image(chunk, Info.Size, Info.Size, Info.ImageInterpolation)).Argmax(1));
    }

    private Tensor SlidingWindowLabels(Tensor slices) =>
        // Whole-slice logits are (N, K, H, W): a few slices at a time keep them small.
        Batched(slices, chunk => SlidingWindow.Logits(network.Logits, chunk, Info.Size, Options.Overlap, Options.Batch).Argmax(1));

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

    public void Dispose()
    {
        if (ownsNetwork) network.Dispose();
    }
}
