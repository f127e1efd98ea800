namespace Skd.Data;

/// <summary>One 2-D training sample: slice <see cref="Slice"/> of a case (0 for a 2-D case).</summary>
public sealed record SampleRef(CaseFiles Case, int Slice);

/// <summary>
/// The 2-D samples of a list of cases: every image of a 2-D dataset, every axial slice of a
/// volume (volumes are trained slice by slice). A case is read and preprocessed (by
/// <see cref="CasePreprocessor"/>: intensity normalisation, resizing to the training size) when a
/// sample of it is first needed, on the loader's worker threads. With <c>cache</c> (the default)
/// it is kept in memory, so later epochs decode nothing; without, 2-D cases are decoded on every
/// access (volumes are always kept: decoding a volume per slice would be absurd). NIfTI volumes
/// are read once up front to count their slices. Thread-safe.
/// </summary>
public sealed class SliceDataset : IDisposable
{
    private readonly SegmentationDataset dataset;
    private readonly CasePreprocessor preprocess;
    private readonly Dictionary<string, Lazy<PreparedCase>> cases;
    private readonly bool cache;
    private readonly List<SampleRef> samples = new();

    private sealed record PreparedCase(Tensor Images, Tensor Labels) : IDisposable
    {
        public void Dispose()
        {
            Images.Dispose();
            Labels.Dispose();
        }
    }

    public SliceDataset(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, CasePreprocessor preprocess, bool cache = true)
    {
        if (cases.Count == 0) throw new DataFormatException($"{dataset.Description.Root}: the selected split has no cases");
        this.dataset = dataset;
        this.preprocess = preprocess;
        this.cache = cache;
        this.cases = cases.ToDictionary(c => c.Id, c => new Lazy<PreparedCase>(() => Prepare(c), LazyThreadSafetyMode.ExecutionAndPublication));
        foreach (var c in cases)
        {
            if (c.Label is null) throw new DataFormatException($"{c.Images[0]}: case '{c.Id}' has no label, so it cannot be trained on");
            long depth = Depth(c);
            for (int s = 0; s < depth; s++) samples.Add(new SampleRef(c, s));
        }
    }

    /// <summary>Slices of a case, from what is cheapest to read.</summary>
    private long Depth(CaseFiles c) => c.Storage switch
    {
        CaseStorage.Image2D or CaseStorage.Npz => 1,
        CaseStorage.Hdf5 => Formats.Hdf5File.Shape(c.Images[0], "image")[0],
        _ => cases[c.Id].Value.Images.Size(0),
    };

    private bool Keeps(CaseFiles c) => cache || c.Storage is CaseStorage.Volume or CaseStorage.Hdf5;

    public int Count => samples.Count;
    public IReadOnlyList<SampleRef> Samples => samples;
    public int ClassCount => dataset.ClassCount;
    public int Channels => dataset.InputChannels.Count;

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
        if (Keeps(sample.Case))
        {
            var kept = cases[sample.Case.Id].Value;
            return (kept.Images[sample.Slice], kept.Labels[sample.Slice]);
        }
        using var prepared = Prepare(sample.Case);
        return (prepared.Images[sample.Slice].Clone(), prepared.Labels[sample.Slice].Clone());
    }

    public void Dispose()
    {
        foreach (var c in cases.Values)
            if (c.IsValueCreated) c.Value.Dispose();
    }
}
