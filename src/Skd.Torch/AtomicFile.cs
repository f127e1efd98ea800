using System.Text;

namespace Skd.Torch;

/// <summary>
/// Writes a file so that a reader (or a crash, a kill, a full disk) sees the previous file or the
/// whole new one, never a part: the content goes to a temporary file beside it,
/// <c>.NAME.GUID.tmpEXT</c> (hidden, same folder so the rename stays on one file system, same
/// extension so writers that choose the format by extension work), is flushed to disk and renamed
/// over <c>NAME</c>. On failure the temporary file is deleted and the previous file is untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>Matches the temporary files this class makes (<see cref="Directory.EnumerateFiles(string, string)"/> pattern), for clean-up after a kill.</summary>
    public const string TemporaryPattern = ".*.tmp*";

    /// <summary>Writes <paramref name="path"/> from a stream.</summary>
    public static void Write(string path, Action<Stream> write) => WriteVia(path, temporary =>
    {
        using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        write(stream);
        stream.Flush(flushToDisk: true);
    });

    /// <summary>Writes <paramref name="path"/> as UTF-8 text without a byte-order mark.</summary>
    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>Writes <paramref name="path"/> through a writer that takes a file path (an image encoder).</summary>
    public static void WriteVia(string path, Action<string> writeTo)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(fullPath)}");
        try
        {
            writeTo(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
