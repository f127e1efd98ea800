namespace Skd.Data;

/// <summary>
/// What a dataset folder holds, as its layout describes it: the cases, the class names (index =
/// label value), the input channels (one per file: a 2-D image file gives one or three, as
/// <see cref="SegmentationDataset.ImageChannels"/> reads it), the splits the layout itself defines
/// (Synapse's lists, an nnU-Net imagesTs/ folder), and how 2-D mask files encode the classes.
/// </summary>
public sealed record DatasetDescription
{
    public required string Root { get; init; }
    public required DatasetLayout Layout { get; init; }
    public required IReadOnlyList<CaseFiles> Cases { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<string> ChannelNames { get; init; }
    /// <summary>Split name ("train", "test") → case ids, where the layout fixes them; empty otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LayoutSplits { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>How 2-D mask files encode the classes: class ids, binary (0/255 or any non-zero read as 0/1), or a palette (M2caiSeg).</summary>
    public MaskEncoding Masks { get; init; } = MaskEncoding.ClassIds;

    public int ClassCount => ClassNames.Count;
}
