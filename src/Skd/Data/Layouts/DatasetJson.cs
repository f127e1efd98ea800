using System.Text.Json;

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

    public static (IReadOnlyList<string> Labels, IReadOnlyList<string> Channels, string FileEnding) Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var labels = new SortedDictionary<int, string>();
            foreach (var p in root.GetProperty("labels").EnumerateObject())
            {
                // nnU-Net v2: {"name": value}; v1: {"value": "name"}.
                if (p.Value.ValueKind == JsonValueKind.Number) labels[p.Value.GetInt32()] = p.Name;
                else if (int.TryParse(p.Name, out int v)) labels[v] = p.Value.GetString() ?? p.Name;
                else throw new DataFormatException($"{path}: label '{p.Name}' has no integer value");
            }
            if (labels.Count < 2 || labels.Keys.First() != 0 || labels.Keys.Last() != labels.Count - 1)
                throw new DataFormatException($"{path}: labels must be the values 0..K-1 (K ≥ 2), got {string.Join(", ", labels.Keys)}");
            var channelsElement = root.TryGetProperty("channel_names", out var c) ? c : root.TryGetProperty("modality", out var m) ? m : default;
            var channels = channelsElement.ValueKind == JsonValueKind.Object
                ? channelsElement.EnumerateObject().OrderBy(p => int.Parse(p.Name)).Select(p => p.Value.GetString() ?? p.Name).ToList()
                : ["image"];
            string ending = root.TryGetProperty("file_ending", out var f) ? f.GetString() ?? ".nii.gz" : ".nii.gz";
            return (labels.Values.ToList(), channels, ending);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DataFormatException($"{path}: not a valid dataset.json ({e.Message})");
        }
    }
}
