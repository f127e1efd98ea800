namespace Skd.Training;

/// <summary>
/// An exclusive lock on an output folder (a run folder, a comparison folder) for as long as one
/// command writes it, so that two commands never mix their files in one folder. The lock is the
/// operating system's (flock(2), which .NET takes for <see cref="FileShare.None"/>) on the hidden
/// file <c>.lock</c> in the folder: it is released when the holder disposes it or dies, so a killed
/// run leaves no stale lock, only the empty file, which the folder's checks ignore.
/// </summary>
public sealed class FolderLock : IDisposable
{
    /// <summary>The lock file's name; not a file of the run.</summary>
    public const string FileName = ".lock";

    private readonly FileStream file;

    private FolderLock(FileStream file) => this.file = file;

    /// <summary>Locks <paramref name="folder"/> (created when missing), or refuses when another process holds it.</summary>
    public static FolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException) && File.Exists(path))
        {
            throw new IOException($"{Path.GetFullPath(folder)} is in use by another skd command (it holds {path} locked); wait for it to finish, or choose another folder", e);
        }
    }

    public void Dispose() => file.Dispose();
}
