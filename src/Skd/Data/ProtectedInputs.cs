using System.Runtime.InteropServices;

namespace Skd.Data;

/// <summary>
/// The one output-path policy of the commands that read data and write results (predict, eval,
/// train, compare): nothing is written into a folder that holds a file being read (an input image,
/// a label), nor anywhere inside a dataset folder being read. There a prediction would replace an
/// image or a label, or become one (a prediction saved as <c>labelsTs/</c> or <c>masks/</c> is
/// scored against itself by the next eval). Nor is an output file one of the files being read (a
/// model file, a prediction scored), nor one another output of the same command is written to
/// (<see cref="ClaimOutput"/>). Paths are compared after resolving symbolic links, so another
/// spelling of the same folder or file is the same one.
/// </summary>
public sealed partial class ProtectedInputs
{
    private readonly Dictionary<string, string> folders = new(StringComparer.Ordinal);   // real folder → a file read in it
    private readonly HashSet<string> files = new(StringComparer.Ordinal);                  // real paths of the files read
    private readonly Dictionary<string, string> outputs = new(StringComparer.Ordinal);   // real output file → the option writing it
    private readonly List<string> datasetRoots = [];

    private ProtectedInputs() { }

    /// <summary>Protects the folders of <paramref name="files"/>, the inputs a command reads.</summary>
    public static ProtectedInputs OfFiles(IEnumerable<string> files)
    {
        var protectedInputs = new ProtectedInputs();
        foreach (var inFolder in files.GroupBy(file => Path.GetDirectoryName(Path.GetFullPath(file))!))
        {
            protectedInputs.folders.TryAdd(RealPath(inFolder.Key), inFolder.First());
            protectedInputs.files.UnionWith(inFolder.Select(RealPath));
        }
        return protectedInputs;
    }

    /// <summary>Protects <paramref name="file"/> too, a file read whose folder may take outputs (a model in its run folder); returns this policy.</summary>
    public ProtectedInputs AndFile(string file)
    {
        files.Add(RealPath(file));
        return this;
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

    /// <summary>Refuses <paramref name="file"/> as an output file when it is a file being read or the policy protects its folder.</summary>
    public void CheckFile(string file)
    {
        if (files.Contains(RealPath(file)))
            throw new ArgumentException($"{Path.GetFullPath(file)}: this is a file being read; writing there would replace it: choose another output file");
        CheckFolder(Path.GetDirectoryName(Path.GetFullPath(file))!);
    }

    /// <summary>
    /// <see cref="CheckFile"/>, and refuses <paramref name="file"/> when another output of the same
    /// command, claimed before, is the same file: <paramref name="writer"/> names what writes it
    /// (an option, <c>--json</c>), for the message.
    /// </summary>
    public void ClaimOutput(string file, string writer)
    {
        CheckFile(file);
        if (!outputs.TryAdd(RealPath(file), writer))
            throw new ArgumentException($"{Path.GetFullPath(file)}: both {outputs[RealPath(file)]} and {writer} would write this file: give them different files");
    }

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
