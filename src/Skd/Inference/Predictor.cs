namespace Skd.Inference;

/// <summary>
/// A trained model applied to whole cases: each slice normalised as the model's training data
/// (<see cref="ModelInfo.Preprocessor"/>), predicted in batches by resizing or by sliding windows
/// (<see cref="InferenceOptions"/>) through an <see cref="IInferenceEngine"/> (libtorch or ONNX Runtime),
/// optionally mirrored (test-time augmentation), as softmax probabilities at the case's own size; then
/// argmax'ed to a label map and, optionally, filtered to each class's largest connected component.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly IInferenceEngine engine;
    private readonly CasePreprocessor preprocessor;

    /// <summary>A predictor for a network in memory, run by libtorch; the caller keeps it (disposing the predictor leaves it alive).</summary>
    public Predictor(UNet network, ModelInfo info, InferenceOptions? options = null, string? source = null)
        : this(new TorchEngine(network, ownsNetwork: false, (options ?? new InferenceOptions()).MemoryFormat, options?.Device), info, options, source)
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
        foreach (int k in Options.KeepLargest ?? [])
            if (k < 1 || k >= Classes)
                throw new ArgumentException($"keep-largest: class {k} is not a foreground class of {Source} (1 to {Classes - 1}; 0 is the background)");
    }

    /// <summary>
    /// Loads a model file (or a run folder's best checkpoint, <see cref="ModelFile.Resolve"/>) in <paramref name="engine"/>
    /// (null: the file's own, <see cref="InferenceEngines.Open"/>); the predictor owns the engine.
    /// </summary>
    public static Predictor Load(string runOrFile, InferenceOptions? options = null, InferenceEngineKind? engine = null)
    {
        string path = ModelFile.Resolve(runOrFile);
        var (opened, info) = InferenceEngines.Open(path, engine, (options ?? new InferenceOptions()).MemoryFormat, options?.Device);
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
    public Tensor Predict(LoadedCase c) => Run(c, keepProbabilities: false).Labels;

    /// <summary>The label map of a case and the class probabilities it was taken from (<see cref="Prediction"/>).</summary>
    /// <exception cref="ArgumentException">The case's channel count is not the model's.</exception>
    public Prediction PredictWithProbabilities(LoadedCase c) => Predict(c, keepProbabilities: true);

    /// <summary>The label map of a case and, with <paramref name="keepProbabilities"/>, the class probabilities it was taken from.</summary>
    /// <exception cref="ArgumentException">The case's channel count is not the model's.</exception>
    public Prediction Predict(LoadedCase c, bool keepProbabilities)
    {
        var (labels, probabilities) = Run(c, keepProbabilities);
        return new Prediction(labels, probabilities);
    }

    /// <summary>
    /// The one way a case is predicted: class probabilities of its slices at the case's size
    /// (<see cref="CasePrediction"/>), <see cref="InferenceOptions.Batch"/> slices at a time, their argmax,
    /// then the largest-component filter (<see cref="InferenceOptions.KeepLargest"/>) on the whole label map.
    /// </summary>
    private (Tensor Labels, Tensor? Probabilities) Run(LoadedCase c, bool keepProbabilities)
    {
        if (c.Image.Size(0) != InChannels)
            throw new ArgumentException($"{c.Files.Images[0]}: the image has {c.Image.Size(0)} channel(s), but {Source} takes {InChannels}");
        using var scope = new DisposeScope();
        using var noGrad = torch.NoGrad();
        var slices = preprocessor.NormalizedSlices(c).To(engine.Device);
        List<Tensor> labelParts = [], probabilityParts = [];
        for (long start = 0; start < slices.Size(0); start += Options.Batch)
        {
            using var step = new DisposeScope();
            var (batchLabels, probabilities) = CasePrediction(slices.Narrow(0, start, Math.Min(Options.Batch, slices.Size(0) - start)), keepProbabilities);
            labelParts.Add(step.MoveToOuter(batchLabels.Cpu()));
            if (probabilities is not null) probabilityParts.Add(step.MoveToOuter(probabilities.Cpu()));
        }
        var labels = torch.Cat(labelParts, 0);
        if (Options.KeepLargest is { } classes) labels = LargestComponent.Keep(labels, classes.Count > 0 ? classes : Enumerable.Range(1, Classes - 1));
        var kept = keepProbabilities ? scope.MoveToOuter(torch.Cat(probabilityParts, 0).Transpose(0, 1).Contiguous()) : null;
        return (scope.MoveToOuter(labels.Contiguous()), kept);
    }

    /// <summary>
    /// The label map (N, H, W) of slices (N, C, H, W) at their own size, and with <paramref name="keepProbabilities"/>
    /// the softmax probabilities (N, K, H, W) it is the argmax of: in resize mode predicted at the model's size and
    /// resized back by nearest neighbour (which takes one source pixel for every class, so the argmax is taken
    /// before resizing, on one channel instead of K); in sliding-window mode from the blended window logits.
    /// Mirrored (<see cref="TestTimeMirroring"/>) with <see cref="InferenceOptions.Mirror"/>, around the model's
    /// input: the resized slice or the whole padded slice.
    /// </summary>
    private (Tensor Labels, Tensor? Probabilities) CasePrediction(Tensor slices, bool keepProbabilities)
    {
        long height = slices.Size(2), width = slices.Size(3);
        if (Options.Mode == InferenceMode.SlidingWindow)
        {
            var blended = Probabilities(slices, x => SlidingWindow.Logits(engine.Logits, x, Info.Size, Options.Overlap, Options.Batch));
            return (blended.Argmax(1), keepProbabilities ? blended : null);
        }
        bool modelSize = height == Info.Size && width == Info.Size;
        var input = modelSize ? slices : Resize.Image(slices, Info.Size, Info.Size, Info.ImageInterpolation);
        var probabilities = Probabilities(input, engine.Logits);
        var labels = probabilities.Argmax(1);
        if (modelSize) return (labels, keepProbabilities ? probabilities : null);
        return (Resize.Label(labels, height, width), keepProbabilities ? Resize.Label(probabilities, height, width) : null);
    }

    private Tensor Probabilities(Tensor slices, Func<Tensor, Tensor> logits) =>
        Options.Mirror ? TestTimeMirroring.Average(x => logits(x).Softmax(1), slices) : logits(slices).Softmax(1);

    public void Dispose() => engine.Dispose();
}
