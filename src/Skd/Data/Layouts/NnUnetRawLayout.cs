namespace Skd.Data.Layouts;

/// <summary>
/// nnU-Net's raw dataset folder (FLARE2022 as distributed for nnU-Net): <c>dataset.json</c> with
/// <c>labels</c>, <c>channel_names</c> and <c>file_ending</c>; <c>imagesTr/NAME_XXXX{ending}</c> (XXXX =
/// channel, 0000 first); <c>labelsTr/NAME{ending}</c>; optional <c>imagesTs/</c> (the test split, with
/// labels in <c>labelsTs/</c> when present). NIfTI endings are volumes, image endings 2-D.
/// </summary>
internal static class NnUnetRawLayout
{
    public static DatasetDescription Describe(string root)
    {
        var (labels, channels, ending) = DatasetJson.Read(Path.Combine(root, "dataset.json"));
        var storage = NiftiFile.IsNifti("x" + ending) ? CaseStorage.Volume : CaseStorage.Image2D;
        var training = Cases(root, "imagesTr", "labelsTr", ending, channels.Count, storage, labelsRequired: true);
        if (training.Count == 0) throw new DataFormatException($"{Path.Combine(root, "imagesTr")}: no NAME_0000{ending} files");
        var test = Directory.Exists(Path.Combine(root, "imagesTs"))
            ? Cases(root, "imagesTs", "labelsTs", ending, channels.Count, storage, labelsRequired: false)
            : [];
        var splits = new Dictionary<string, IReadOnlyList<string>>();
        if (test.Count > 0)
        {
            splits["test"] = test.Select(c => c.Id).ToList();
            splits["train"] = training.Select(c => c.Id).ToList();
        }
        return new DatasetDescription
        {
            Root = root, Layout = DatasetLayout.NnUnetRaw, Cases = [.. training, .. test],
            ClassNames = labels, ChannelNames = channels, LayoutSplits = splits,
        };
    }

    private static List<CaseFiles> Cases(string root, string imageFolder, string labelFolder, string ending, int channels,
        CaseStorage storage, bool labelsRequired)
    {
        string images = Path.Combine(root, imageFolder), labels = Path.Combine(root, labelFolder);
        if (!Directory.Exists(images)) return [];
        var names = Directory.EnumerateFiles(images, "*_0000" + ending)
            .Select(f => Path.GetFileName(f)[..^("_0000".Length + ending.Length)])
            .OrderBy(n => n, NaturalOrder.Instance).ToList();
        var cases = new List<CaseFiles>();
        foreach (var name in names)
        {
            var channelFiles = Enumerable.Range(0, channels).Select(c => Path.Combine(images, $"{name}_{c:D4}{ending}")).ToList();
            foreach (var f in channelFiles)
                if (!File.Exists(f)) throw new DataFormatException($"{f}: missing channel file of case '{name}' (dataset.json names {channels} channels)");
            string label = Path.Combine(labels, name + ending);
            bool hasLabel = File.Exists(label);
            if (labelsRequired && !hasLabel) throw new DataFormatException($"{channelFiles[0]}: no label for this image (expected {label})");
            cases.Add(new CaseFiles(name, channelFiles, hasLabel ? label : null, storage));
        }
        return cases;
    }
}
