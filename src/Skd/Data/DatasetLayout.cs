namespace Skd.Data;

/// <summary>The folder layouts of the papers' datasets (methods.md §5).</summary>
public enum DatasetLayout
{
    /// <summary><c>images/</c> and <c>masks/</c> with the same file names (XCAD); colour-coded masks with a <c>palette.json</c> (M2caiSeg).</summary>
    Paired,
    /// <summary><c>N.ext</c> with <c>N_gt.ext</c> side by side (DCA1).</summary>
    SuffixPairs,
    /// <summary><c>dataset.json</c>, <c>imagesTr/NAME_XXXX.ext</c> (one file per channel), <c>labelsTr/NAME.ext</c> (nnU-Net raw; FLARE2022).</summary>
    NnUnetRaw,
    /// <summary><c>train_npz/</c>, <c>test_vol_h5/</c>, <c>lists/</c> (TransUNet's Synapse).</summary>
    Synapse,
}

public static class DatasetLayouts
{
    /// <summary>A layout name parsed (<see cref="Parse"/>), or null (detect the layout) when none is given.</summary>
    public static DatasetLayout? ParseIfGiven(string? name) => name is null ? null : Parse(name);

    /// <summary>Parses a layout name as given to <c>--layout</c>: paired, suffix, nnunet, synapse.</summary>
    public static DatasetLayout Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "paired" or "xcad" or "palette" or "m2caiseg" => DatasetLayout.Paired,
        "suffix" or "suffix-pairs" or "dca1" => DatasetLayout.SuffixPairs,
        "nnunet" or "nnunet-raw" or "flare" => DatasetLayout.NnUnetRaw,
        "synapse" or "transunet" => DatasetLayout.Synapse,
        _ => throw new ArgumentException($"unknown layout '{name}': expected paired, suffix, nnunet or synapse"),
    };

    /// <summary>Recognises a dataset folder's layout from what it contains.</summary>
    public static DatasetLayout Detect(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder");
        bool Has(string name) => Directory.Exists(Path.Combine(root, name));
        if (File.Exists(Path.Combine(root, "dataset.json")) && Has("imagesTr")) return DatasetLayout.NnUnetRaw;
        if (Has("train_npz") || Has("test_vol_h5")) return DatasetLayout.Synapse;
        if (Has("images") && Has("masks")) return DatasetLayout.Paired;
        var files = Directory.EnumerateFiles(root).Select(Path.GetFileName).ToList();
        if (files.Any(f => Path.GetFileNameWithoutExtension(f!).EndsWith("_gt", StringComparison.Ordinal))) return DatasetLayout.SuffixPairs;
        string found = files.Count == 0 && !Directory.EnumerateDirectories(root).Any()
            ? "the folder is empty"
            : "it holds " + string.Join(", ", Directory.EnumerateFileSystemEntries(root).Take(8).Select(Path.GetFileName)) + (Directory.EnumerateFileSystemEntries(root).Count() > 8 ? ", ..." : "");
        throw OptionNames.Naming(m => new DataFormatException(m), o =>
            $"{root}: unknown dataset layout ({found}). Expected one of: images/ + masks/ (paired), N.ext + N_gt.ext (suffix), " +
            $"dataset.json + imagesTr/ + labelsTr/ (nnunet), train_npz/ or test_vol_h5/ (synapse); or name it with {o("layout")}");
    }
}
