namespace Skd.Data.Layouts;

/// <summary>
/// TransUNet's preprocessed Synapse: <c>train_npz/caseXXXX_sliceYYY.npz</c> (arrays image, label; one
/// axial slice each, CT already clipped to [−125, 275] and scaled to [0, 1]) and
/// <c>test_vol_h5/caseXXXX.npy.h5</c> (datasets image, label: D×H×W), listed in <c>lists/train.txt</c> and
/// <c>lists/test_vol.txt</c> when present (else every file in the folders). 9 classes.
/// </summary>
internal static class SynapseLayout
{
    public static readonly string[] ClassNames =
        ["background", "aorta", "gallbladder", "left kidney", "right kidney", "liver", "pancreas", "spleen", "stomach"];

    public static DatasetDescription Describe(string root)
    {
        var train = Cases(root, "train_npz", ".npz", "train.txt", CaseStorage.Npz);
        var test = Cases(root, "test_vol_h5", ".npy.h5", "test_vol.txt", CaseStorage.Hdf5);
        if (train.Count + test.Count == 0) throw new DataFormatException($"{root}: no .npz slices in train_npz/ and no .npy.h5 volumes in test_vol_h5/");
        return new DatasetDescription
        {
            Root = root, Layout = DatasetLayout.Synapse, Cases = [.. train, .. test],
            ClassNames = ClassNames, ChannelNames = ["CT"],
            LayoutSplits = new Dictionary<string, IReadOnlyList<string>>
            {
                ["train"] = train.Select(c => c.Id).ToList(),
                ["test"] = test.Select(c => c.Id).ToList(),
            },
        };
    }

    private static List<CaseFiles> Cases(string root, string folder, string ending, string listName, CaseStorage storage)
    {
        string dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir)) return [];
        string list = Path.Combine(root, "lists", listName);
        var ids = File.Exists(list)
            ? File.ReadAllLines(list).Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : Directory.EnumerateFiles(dir, "*" + ending).Select(f => Path.GetFileName(f)[..^ending.Length]).OrderBy(n => n, NaturalOrder.Instance).ToList();
        return ids.Select(id =>
        {
            CaseNames.CheckPlain(id, list);
            string path = Path.Combine(dir, id + ending);
            if (!File.Exists(path)) throw new Skd.Data.DataFormatException($"{list}: lists '{id}', but {path} does not exist");
            return new CaseFiles(id, [path], path, storage);
        }).ToList();
    }
}
