namespace Skd.Inference;

/// <summary>
/// Writes predicted label maps where a viewer or <c>skd metrics</c> reads them: a 2-D case as
/// <c>ID.png</c> (<see cref="MaskEncoding.PredictionPixels"/>: a binary map as 0/255, more classes as
/// their ids in 8-bit grey values, 16-bit above 256 classes), a volume as
/// <c>ID.nii.gz</c> with the input's NIfTI header (so the same affine and spacing) or, for inputs
/// without one (HDF5), the case's spacing; and colour overlays of the prediction on the image
/// (<see cref="Overlay"/>): <c>ID_overlay.png</c>, or one PNG per slice in <c>ID_overlay/</c>; and the
/// class probabilities (<see cref="WriteProbabilities"/>): <c>ID_probabilities.npz</c> or <c>ID_probabilities.nii.gz</c>.
/// </summary>
public static class PredictionFiles
{
    /// <summary>
    /// Checks, before anything is written, that the files <see cref="WriteLabels"/> (and, with
    /// <paramref name="overlays"/>, <see cref="WriteOverlay"/>; with <paramref name="probabilities"/>,
    /// <see cref="WriteProbabilities"/>) would write for <paramref name="cases"/> are different files inside
    /// <paramref name="folder"/>: inputs of one stem (a.png and a.bmp; b.png and b_overlay.png with overlays;
    /// c.nii.gz and c_probabilities.nii.gz with probabilities) would replace each other's predictions.
    /// The folder itself must be one <paramref name="inputs"/> lets outputs into.
    /// </summary>
    public static void CheckTargets(ProtectedInputs inputs, string folder, IEnumerable<CaseFiles> cases, bool overlays, bool probabilities = false)
    {
        inputs.CheckFolder(folder);
        var writers = new Dictionary<string, CaseFiles>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var names = new List<string> { LabelsName(c) };
            if (overlays) names.Add(OverlayName(c));
            if (probabilities) names.Add(ProbabilitiesName(c));
            foreach (var name in names)
            {
                string path = CaseNames.Inside(Path.GetFullPath(folder), name, c.Images[0]);
                if (!writers.TryAdd(path, c))
                    throw new ArgumentException($"{writers[path].Images[0]} and {c.Images[0]} would both be written as {path}; rename one of them or predict them into separate folders");
            }
        }
    }

    private static string LabelsName(CaseFiles c) => c.Id + (c.IsVolume ? ".nii.gz" : ".png");

    private static string OverlayName(CaseFiles c) => c.Id + (c.IsVolume ? "_overlay" : "_overlay.png");

    private static string ProbabilitiesName(CaseFiles c) => c.Id + (c.IsVolume ? "_probabilities.nii.gz" : "_probabilities.npz");

    /// <summary>
    /// Writes the class probabilities (K, D, H, W) of case <paramref name="c"/> into <paramref name="folder"/>, float32;
    /// returns its path. A volume: one 4-D NIfTI, x, y, z as the label map's (the input's header, or the case's
    /// spacing) and the classes along the 4th dimension (nibabel's array [x, y, z, k]). A 2-D case: an .npz with the
    /// array <c>probabilities</c> (K, H, W), as nnU-Net's .npz (numpy.load(path)["probabilities"]).
    /// </summary>
    public static string WriteProbabilities(string folder, LoadedCase c, Tensor probabilities)
    {
        if (probabilities.Dim != 4 || probabilities.Size(1) != c.Depth)
            throw new ArgumentException($"{c.Files.Id}: probabilities (K, {c.Depth}, H, W) expected, got [{string.Join(", ", probabilities.Shape)}]");
        Directory.CreateDirectory(folder);
        using var scope = new DisposeScope();
        string path = CaseNames.Inside(folder, ProbabilitiesName(c.Files), c.Files.Images[0]);
        var values = probabilities.Float();
        if (c.IsVolume) NiftiFile.Write(path, values, c.Geometry?.Header, c.Spacing);
        else NpyFile.WriteArchive(path, new Dictionary<string, Tensor> { ["probabilities"] = values.Select(1, 0) });
        return path;
    }

    /// <summary>
    /// Writes what <paramref name="prediction"/> holds of case <paramref name="c"/> into <paramref name="folder"/>: its label map,
    /// its probabilities when it kept them (<see cref="WriteProbabilities"/>), and with <paramref name="overlay"/> the overlay:
    /// the one way predict and eval write a case (their targets checked by <see cref="CheckTargets"/>).
    /// </summary>
    public static void Write(string folder, LoadedCase c, Prediction prediction, int classes, bool overlay = false)
    {
        WriteLabels(folder, c, prediction.Labels, classes);
        if (prediction.Probabilities is { } probabilities) WriteProbabilities(folder, c, probabilities);
        if (overlay) WriteOverlay(folder, c, prediction.Labels);
    }

    /// <summary>Writes the label map (D, H, W) of case <paramref name="c"/>, of a model of <paramref name="classes"/> classes, into <paramref name="folder"/>; returns its path.</summary>
    public static string WriteLabels(string folder, LoadedCase c, Tensor labels, int classes)
    {
        Directory.CreateDirectory(folder);
        using var scope = new DisposeScope();
        string path = CaseNames.Inside(folder, LabelsName(c.Files), c.Files.Images[0]);
        if (c.IsVolume) NiftiFile.Write(path, labels, c.Geometry?.Header, c.Spacing);
        else ImageFile.Write(path, MaskEncoding.PredictionPixels(labels.Squeeze(0), classes));
        return path;
    }

    /// <summary>Writes the overlay of the label map (D, H, W) on the case's image into <paramref name="folder"/>; returns its path.</summary>
    public static string WriteOverlay(string folder, LoadedCase c, Tensor labels)
    {
        Directory.CreateDirectory(folder);
        using var scope = new DisposeScope();
        // Overlay shows grey or RGB: RGB images keep their colours, other channel counts show the first.
        var image = c.Image.Size(0) == 3 ? c.Image : c.Image.Narrow(0, 0, 1);
        string path = CaseNames.Inside(folder, OverlayName(c.Files), c.Files.Images[0]);
        if (!c.IsVolume)
        {
            Overlay.Write(path, image.Select(1, 0), labels[0]);
            return path;
        }
        string slices = path;
        Directory.CreateDirectory(slices);
        int digits = Math.Max(3, c.Depth.ToString().Length);
        for (long z = 0; z < c.Depth; z++)
        {
            using var step = new DisposeScope();
            Overlay.Write(Path.Combine(slices, z.ToString("D" + digits) + ".png"), image.Select(1, z), labels[z]);
        }
        return slices;
    }
}
