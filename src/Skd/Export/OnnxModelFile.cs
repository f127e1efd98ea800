using Google.Protobuf;
using Onnx;

namespace Skd.Export;

/// <summary>
/// An exported model file (.onnx): a <see cref="ModelProto"/> written through <see cref="AtomicFile"/>
/// and read back with its <see cref="ModelInfo"/> (<see cref="OnnxModelMetadata"/>).
/// </summary>
public static class OnnxModelFile
{
    public const string Extension = ".onnx";

    /// <summary>Whether <paramref name="path"/> names an ONNX file (by its extension).</summary>
    public static bool IsOnnx(string path) => Path.GetExtension(path).Equals(Extension, StringComparison.OrdinalIgnoreCase);

    public static void Save(string path, ModelProto model) => AtomicFile.Write(path, model.WriteTo);

    /// <summary>The model (or a run folder's best checkpoint) exported to ONNX in memory.</summary>
    public static (ModelProto Model, ModelInfo Info) Export(string checkpoint, OnnxExportOptions? options = null)
    {
        var (network, info) = ModelFile.Load(checkpoint);
        using (network) return (UNetOnnxExporter.Export(network, info, options), info);
    }

    /// <summary>Reads an ONNX file; <see cref="InvalidDataException"/> naming it when it is not one.</summary>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX file");
        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            return model.Graph is not null ? model : throw new InvalidDataException($"{path}: not an ONNX model (it has no graph)");
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({e.Message})");
        }
    }

    /// <summary>The model description stored in an exported file.</summary>
    public static ModelInfo ReadInfo(string path) => OnnxModelMetadata.Read(Read(path), path);
}
