namespace Skd.IO;

/// <summary>Safetensors files written whole or not at all: <see cref="Safetensors.Write"/> through <see cref="AtomicFile"/>.</summary>
public static class SafetensorsFile
{
    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>: an
    /// error (a bad name, a disposed tensor, a full disk) or a crash leaves any previous file as it was.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Safetensors.Write(stream, tensors, metadata));
}
