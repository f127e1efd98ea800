using Skd.Torch;

namespace Skd.Data;

/// <summary>One 2-D training sample: slice <see cref="Slice"/> of a case (0 for a 2-D case).</summary>
public sealed record SampleRef(CaseFiles Case, int Slice);

/// <summary>
/// The 2-D samples of a list of cases: every image of a 2-D dataset, every axial slice of a
/// volume (volumes are trained slice by slice). Each case is read and preprocessed once (by
/// <see cref="CasePreprocessor"/>: intensity normalisation and resizing to the training size) and
/// kept in memory, so an epoch decodes nothing twice. Thread-safe: the loader's workers share it.
/// </summary>
public sealed class SliceDataset : IDisposable
{
    private readonly SegmentationDataset dataset;
    private readonly CasePreprocessor preprocess;
    private readonly Dictionary<string, Lazy<PreparedCase>> cases;
    private readonly List<SampleRef> samples = new();

    private sealed record PreparedCase(Tensor Images, Tensor Labels) : IDisposable
    {
        public void Dispose()
        {
            Images.Dispose();
            Labels.Dispose();
        }
    }

    public SliceDataset(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, CasePreprocessor preprocess)
    {
        if (cases.Count == 0) throw new DataFormatException($"{dataset.Description.Root}: the selected split has no cases");
        this.dataset = dataset;
        this.preprocess = preprocess;
        this.cases = cases.ToDictionary(c => c.Id, c => new Lazy<PreparedCase>(() => Prepare(c), LazyThreadSafetyMode.ExecutionAndPublication));
        foreach (var c in cases)
        {
            if (c.Label is null) throw new DataFormatException($"{c.Images[0]}: case '{c.Id}' has no label, so it cannot be trained on");
            long depth = this.cases[c.Id].Value.Images.Size(0);
            for (int s = 0; s < depth; s++) samples.Add(new SampleRef(c, s));
        }
    }

    public int Count => samples.Count;
    public IReadOnlyList<SampleRef> Samples => samples;
    public int ClassCount => dataset.ClassCount;
    public int Channels => (int)cases.Values.First().Value.Images.Size(1);

    private PreparedCase Prepare(CaseFiles files)
    {
        using var loaded = dataset.Load(files);
        var (images, labels) = preprocess.Prepare(loaded);
        return new PreparedCase(images, labels);
    }

    /// <summary>Sample <paramref name="index"/>: image float32 (C, S, S) and label int64 (S, S), new tensors the caller owns.</summary>
    public (Tensor Image, Tensor Label) Get(int index)
    {
        var sample = samples[index];
        var prepared = cases[sample.Case.Id].Value;
        return (prepared.Images[sample.Slice], prepared.Labels[sample.Slice]);
    }

    public void Dispose()
    {
        foreach (var c in cases.Values)
            if (c.IsValueCreated) c.Value.Dispose();
    }
}
