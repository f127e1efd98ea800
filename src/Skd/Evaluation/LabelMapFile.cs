namespace Skd.Evaluation;

/// <summary>
/// A label map read from a file for scoring: a 2-D image (H×W, its values read by the dataset reader's
/// <see cref="MaskEncoding"/>: a binary mask stored 0/255 is read as 0/1, other maps as class ids; a colour
/// mask is an error) or a NIfTI volume (D×H×W, integer class ids) with its spacing (x, y, z; 1 for images).
/// </summary>
public sealed class LabelMapFile : IDisposable
{
    public required string Path { get; init; }
    /// <summary>int64 (H, W) or (D, H, W): class ids.</summary>
    public required Tensor Map { get; init; }
    public double[] Spacing { get; init; } = [1, 1, 1];
    /// <summary>How the file's values stood for classes (<see cref="MaskEncoding.Detect"/>; class ids for volumes).</summary>
    public MaskEncoding Encoding { get; init; } = MaskEncoding.ClassIds;

    public static bool IsLabelMap(string path) => ImageFile.IsImage(path) || NiftiFile.IsNifti(path);

    /// <summary>
    /// How the label images under <paramref name="labels"/> (a file or a folder) encode classes when
    /// they are a dataset's colour- or grey-coded masks: the palette.json in their folder or beside it
    /// (DATA/palette.json for DATA/masks/), read as the dataset reader reads it; null when there is none
    /// (each file's encoding is then detected, <see cref="MaskEncoding.Detect"/>).
    /// </summary>
    public static MaskEncoding? DatasetMasks(string labels)
    {
        string folder = Directory.Exists(labels) ? System.IO.Path.GetFullPath(labels) : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(labels))!;
        foreach (var candidate in new[] { folder, System.IO.Path.GetDirectoryName(folder) }.OfType<string>())
        {
            string palette = System.IO.Path.Combine(candidate, PairedFolderLayout.PaletteFile);
            if (File.Exists(palette)) return MaskEncoding.Colours(PairedFolderLayout.ReadPalette(palette).Palette);
        }
        return null;
    }

    /// <summary>Reads a label map; images by <paramref name="masks"/> when given (<see cref="DatasetMasks"/>), else by the encoding their values show.</summary>
    public static LabelMapFile Read(string path, MaskEncoding? masks = null)
    {
        using var scope = new DisposeScope();
        if (NiftiFile.IsNifti(path))
        {
            using var volume = NiftiFile.Read(path);
            if (volume.Data.Dim is not (2 or 3))
                throw new DataFormatException($"{path}: a label map is 2-D or 3-D, this volume is [{string.Join(", ", volume.Data.Shape)}]");
            if (volume.Data.DType.IsFloatingPoint() && !volume.Data.Eq(volume.Data.Round()).All().Item<bool>())
                throw new DataFormatException($"{path}: the label map holds non-integer values");
            return new LabelMapFile { Path = path, Map = DisposeScope.Detach(volume.Data.To(DType.Int64)), Spacing = volume.Spacing };
        }
        if (!ImageFile.IsImage(path)) throw new DataFormatException($"{path}: not an image or a NIfTI volume");
        var pixels = ImageFile.Read(path);
        var encoding = masks ?? MaskEncoding.Detect(pixels);
        return new LabelMapFile { Path = path, Map = DisposeScope.Detach(encoding.ToLabels(pixels, path)), Encoding = encoding };
    }

    /// <summary>The largest class id in the map (0 when it is empty).</summary>
    public long MaxClass() => Map.NumElements == 0 ? 0 : Map.Max().Item<long>();

    /// <summary>Throws a <see cref="DataFormatException"/> naming the file unless every value lies in 0..K−1.</summary>
    public void CheckClasses(int classes)
    {
        if (Map.NumElements == 0) return;
        long min = Map.Min().Item<long>(), max = Map.Max().Item<long>();
        if (min < 0 || max >= classes)
            throw OptionNames.Naming(m => new DataFormatException(m), o => $"{Path}: value {(min < 0 ? min : max)} is not a class id in 0..{classes - 1} (give {o("classes")} K with K above every class id)");
    }

    /// <summary>
    /// Checks that a prediction and its label can be the same <paramref name="classes"/> classes: a binary
    /// mask (stored 0/255) is scored only as two classes, and every value of both lies in 0..K−1.
    /// <paramref name="inferred"/>: K was read from the labels (their largest class id + 1), so a predicted
    /// value above it is a class the labels do not have.
    /// </summary>
    public static void CheckPair(LabelMapFile prediction, LabelMapFile label, int classes, bool inferred)
    {
        foreach (var file in new[] { prediction, label })
            if (file.Encoding == MaskEncoding.Binary && classes > 2)
                throw new DataFormatException($"{file.Path}: a binary mask (values 0 and its full scale, read as 0/1), but the maps are scored as {classes} classes " +
                                              $"(class ids up to {classes - 1}{(inferred ? " in the label files" : "")}): a binary mask and a multi-class map cannot be the same classes");
        label.CheckClasses(classes);
        if (inferred && prediction.MaxClass() is var predicted && predicted >= classes)
            throw OptionNames.Naming(m => new DataFormatException(m), o => $"{prediction.Path}: value {predicted} is not a class of the labels (their class ids are 0..{classes - 1}): " +
                                          $"the prediction and label files do not hold the same classes; give {o("classes")} K if the labels lack a class the predictions have");
        prediction.CheckClasses(classes);
    }

    public void Dispose() => Map.Dispose();
}
