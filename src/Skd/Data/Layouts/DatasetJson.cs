namespace Skd.Data.Layouts;

/// <summary>Reads the parts of a <c>dataset.json</c> (nnU-Net v1/v2 style) the layouts use.</summary>
internal static class DatasetJson
{
    /// <summary>Class names ordered by label value from <c>"labels"</c>, or null without a dataset.json.</summary>
    public static IReadOnlyList<string>? TryReadLabels(string root)
    {
        string path = Path.Combine(root, "dataset.json");
        return File.Exists(path) ? Read(path).Labels : null;
    }

    public static (IReadOnlyList<string> Labels, IReadOnlyList<string> Channels, string FileEnding) Read(string path) => JsonFile.Read(path, root =>
    {
        var labels = new SortedDictionary<int, string>();
        foreach (var (name, value) in root.Required("labels", "an object of the class names and their values").Properties())
        {
            // nnU-Net v2: {"name": value}; v1: {"value": "name"}.
            if (value.Kind == JsonValueKind.Number) labels[value.Int32()] = name;
            else if (int.TryParse(name, out int v)) labels[v] = value.String();
            else throw value.Error("the class's value, a whole number (nnU-Net v2: \"name\": value; v1: \"value\": \"name\")");
        }
        if (labels.Count < 2 || labels.Keys.First() != 0 || labels.Keys.Last() != labels.Count - 1)
            throw new DataFormatException($"{path}: labels must be the values 0..K-1 (K ≥ 2), got {string.Join(", ", labels.Keys)}");
        var channels = (root.Optional("channel_names") ?? root.Optional("modality")) is { } c
            ? c.Properties().Select(p => (Index: int.TryParse(p.Name, out int i) ? i : throw c.Error($"channel numbers as keys (\"0\", \"1\", ...), not '{p.Name}'"), Name: p.Value.String()))
                .OrderBy(p => p.Index).Select(p => p.Name).ToList()
            : ["image"];
        return ((IReadOnlyList<string>)labels.Values.ToList(), (IReadOnlyList<string>)channels, root.Optional("file_ending") is { } e ? FileEnding(e) : ".nii.gz");
    });

    /// <summary>
    /// <c>file_ending</c>: an extension (".nii.gz", ".png"), which the layout appends to case names;
    /// folders or wildcards in it would lead the reader out of imagesTr/ and labelsTr/.
    /// </summary>
    private static string FileEnding(JsonField field)
    {
        string ending = field.String();
        return ending.Length > 1 && ending[0] == '.' && ending.IndexOfAny(['/', '\\', '*', '?', '\0']) < 0
            ? ending
            : throw field.Error("a file extension such as \".nii.gz\" or \".png\" (a dot, then no folders or wildcards)");
    }
}
