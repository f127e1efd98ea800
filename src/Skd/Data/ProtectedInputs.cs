using System.Runtime.InteropServices;

namespace Skd.Data;

/// <summary>
/// The one output-path policy of the commands that read data and write results (predict, eval,
/// train, compare): nothing is written into a folder that holds a file being read (an input image,
/// a label), nor anywhere inside a dataset folder being read. There a prediction would replace an
/// image or a label, or become one (a prediction saved as <c>labelsTs/</c> or <c>masks/</c> is
/// scored against itself by the next eval). Paths are compared after resolving symbolic links,
/// so another spelling of the same folder is the same folder.
/// </summary>
public sealed partial class ProtectedInputs
{
    private readonly Dictionary<string, string> folders = new(StringComparer.Ordinal);   // real folder → a file read in it
    private readonly List<string> datasetRoots = [];

    private ProtectedInputs() { }

    /// <summary>Protects the folders of <paramref name="files"/>, the inputs a command reads.</summary>
    public static ProtectedInputs OfFiles(IEnumerable<string> files)
    {
        var protectedInputs = new ProtectedInputs();
        foreach (var inFolder in files.GroupBy(file => Path.GetDirectoryName(Path.GetFullPath(file))!))
            protectedInputs.folders.TryAdd(RealPath(inFolder.Key), inFolder.First());
        return protectedInputs;
    }

    /// <summary>Protects a dataset: its folder and everything inside it, and the folder of every case file.</summary>
    public static ProtectedInputs OfDataset(SegmentationDataset dataset)
    {
        var description = dataset.Description;
        var protectedInputs = OfFiles(description.Cases.SelectMany(c => c.Images.Append(c.Label)).OfType<string>());
        protectedInputs.datasetRoots.Add(RealPath(description.Root));
        return protectedInputs;
    }

    /// <summary>Refuses <paramref name="folder"/> as an output folder when the policy protects it.</summary>
    public void CheckFolder(string folder)
    {
        string real = RealPath(folder);
        if (folders.TryGetValue(real, out var input))
            throw new ArgumentException($"{Path.GetFullPath(folder)}: this folder holds the inputs being read ({input}); writing there would replace them: choose another output folder");
        if (datasetRoots.FirstOrDefault(root => IsInside(real, root)) is { } dataset)
            throw new ArgumentException($"{Path.GetFullPath(folder)}: inside the dataset folder being read ({dataset}); outputs written there would replace or become images and labels: choose a folder outside it");
    }

    /// <summary>Refuses <paramref name="file"/> as an output file when the policy protects its folder.</summary>
    public void CheckFile(string file) => CheckFolder(Path.GetDirectoryName(Path.GetFullPath(file))!);

    private static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The absolute path with every symbolic link of its existing part resolved (realpath(3)); the part that does not exist yet kept as written.</summary>
    private static string RealPath(string path)
    {
        string existing = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var missing = new Stack<string>();
        while (!Path.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }
        IntPtr resolved = realpath(existing, IntPtr.Zero);
        if (resolved != IntPtr.Zero)
        {
            existing = Marshal.PtrToStringUTF8(resolved)!;
            free(resolved);
        }
        return Path.Combine([existing, .. missing]);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
