using System.Text;

namespace Skd.IO;

/// <summary>
/// The one writer of every file the toolkit writes, so that a reader (or a crash, a kill, a full
/// disk) sees the previous file or the whole new one, never a part: the content goes to a
/// temporary file beside it, <c>.NAME.GUID.tmpEXT</c> (hidden, same folder so the rename stays on
/// one file system), through a <see cref="FileStream"/> that is flushed to disk, and is renamed over
/// <c>NAME</c>. A failed write (a full disk or a file size limit included: the stream reports it,
/// unlike writers that take a path and write it themselves, as OpenCV's imwrite, which fail
/// silently) is an <see cref="IOException"/> naming the file; the temporary file is deleted and
/// the previous file is untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>Matches the temporary files this class makes (<see cref="Directory.EnumerateFiles(string, string)"/> pattern), for clean-up after a kill.</summary>
    public const string TemporaryPattern = ".*.tmp*";

    /// <summary>Writes <paramref name="path"/> from a stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{fullPath}: not written: the folder {folder} does not exist");
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(fullPath)}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        // .NET reports EFBIG (a file over the file system's or the process's size limit) as an ArgumentOutOfRangeException.
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException && !e.Message.StartsWith(fullPath, StringComparison.Ordinal))
        {
            throw new IOException($"{fullPath}: not written: {e.Message}", e);
        }
        finally
        {
            // The folder may have gone meanwhile; File.Delete would then throw over the real error.
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="path"/> as UTF-8 text without a byte-order mark.</summary>
    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));
}
