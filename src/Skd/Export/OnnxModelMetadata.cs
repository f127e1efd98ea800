using System.Text.Json.Nodes;
using Onnx;

namespace Skd.Export;

/// <summary>
/// The <see cref="ModelInfo"/> of an exported model in its ONNX <c>metadata_props</c>, so that the file
/// alone is enough to run it: the whole description as JSON under <see cref="ModelFile.MetadataKey"/>
/// (what this toolkit reads back), and each of its fields under its own key for other runtimes
/// (<c>size</c>, <c>normalization</c>, <c>ct_window_low</c>, <c>image_channels</c>, <c>class_names</c> as a JSON list,
/// <c>method</c>, <c>network.in_channels</c>, <c>network.classes</c>, ...; text as it is, other values as JSON),
/// with <c>input</c> and <c>output</c> saying what the graph takes and gives.
/// </summary>
public static class OnnxModelMetadata
{
    public static void Write(ModelProto model, ModelInfo info)
    {
        string json = JsonSerializer.Serialize(info, ModelInfo.Json);
        Add(model, ModelFile.MetadataKey, json);
        foreach (var (key, value) in Flatten("", JsonNode.Parse(json)!.AsObject())) Add(model, key, value);
        Add(model, "input", $"{UNetOnnxExporter.InputName}: float32 [batch, {info.Network.InChannels}, height, width], the image normalised as " +
                            $"'normalization' says (trained at {info.Size}×{info.Size}; height and width multiples of {info.Network.SizeMultiple})");
        Add(model, "output", $"{UNetOnnxExporter.OutputName}: float32 [batch, {info.Network.Classes}, height, width]; the label map is their argmax over axis 1");
    }

    /// <summary>The model description of an exported file; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The file has no description of this toolkit, or an invalid one.</exception>
    public static ModelInfo Read(ModelProto model, string path)
    {
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == ModelFile.MetadataKey)
            ?? throw new InvalidDataException($"{path}: not an ONNX export of this toolkit (its metadata_props have no \"{ModelFile.MetadataKey}\" entry)");
        try
        {
            return JsonSerializer.Deserialize<ModelInfo>(entry.Value, ModelInfo.Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the model description in its ONNX metadata is not valid ({e.Message})");
        }
    }

    private static IEnumerable<(string Key, string Value)> Flatten(string prefix, JsonObject json)
    {
        foreach (var (name, node) in json)
        {
            string key = prefix + name;
            if (node is JsonObject inner)
                foreach (var item in Flatten(key + ".", inner)) yield return item;
            else if (node is JsonValue value && value.TryGetValue(out string? text)) yield return (key, text);
            else yield return (key, node?.ToJsonString() ?? "null");
        }
    }

    /// <summary>Sets metadata entry <paramref name="key"/> (replacing one of that key).</summary>
    public static void Set(ModelProto model, string key, string value)
    {
        foreach (var old in model.MetadataProps.Where(p => p.Key == key).ToList()) model.MetadataProps.Remove(old);
        Add(model, key, value);
    }

    private static void Add(ModelProto model, string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
