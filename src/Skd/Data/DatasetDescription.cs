namespace Skd.Data;

/// <summary>
/// What a dataset folder holds, as its layout describes it: the cases, the class names (index =
/// label value), the input channels, the splits the layout itself defines (Synapse's lists, an
/// nnU-Net imagesTs/ folder), and for colour-coded masks the colour of each class.
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
    /// <summary>RGB colour → class index, for colour-coded masks (M2caiSeg); null for index-valued masks.</summary>
    public IReadOnlyDictionary<(byte R, byte G, byte B), int>? Palette { get; init; }
    /// <summary>Binary masks stored as 0/255 (or any non-zero): read as 0/1.</summary>
    public bool BinaryMasks { get; init; }

    public int ClassCount => ClassNames.Count;
}
