namespace Skd.Tests;

/// <summary>
/// Each native library of the toolkit has one P/Invoke class (the one reader of its thread-local
/// error slot) and is built by the project that calls it, no other: libskd_native by Skd.Torch,
/// libskd_io (OpenCV, HDF5) by Skd.
/// </summary>
public sealed partial class NativeLibrariesTests
{
    [GeneratedRegex(@"LibraryImport\((?:""(?<name>[^""]+)""|(?<constant>\w+))")]
    private static partial Regex Import();

    [GeneratedRegex(@"const string (?<constant>\w+) = ""(?<name>[^""]+)""")]
    private static partial Regex LibraryConstant();

    [GeneratedRegex(@"\bskd_\w*last_error\b")]
    private static partial Regex ErrorSlot();

    /// <summary>The toolkit's own native libraries (system libraries such as libc are not built here) by the source files that import them.</summary>
    private static ILookup<string, string> ImportingFiles() => RepositorySources.Files("src", "*.cs")
        .SelectMany(file =>
        {
            string text = File.ReadAllText(Path.Combine(RepositorySources.Root, file));
            var constants = LibraryConstant().Matches(text).ToDictionary(m => m.Groups["constant"].Value, m => m.Groups["name"].Value);
            return Import().Matches(text).Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : constants[m.Groups["constant"].Value])
                .Distinct().Select(library => (Library: library, File: file));
        })
        .Where(i => i.Library.StartsWith("skd_", StringComparison.Ordinal))
        .ToLookup(i => i.Library, i => i.File);

    [Fact]
    public void EachNativeLibraryHasOnePInvokeClass()
    {
        var imports = ImportingFiles();
        Assert.Equal(["skd_io", "skd_native"], imports.Select(g => g.Key).Order());
        Assert.All(imports, g => Assert.True(g.Count() == 1, $"lib{g.Key}.so is called from {string.Join(", ", g)}: one P/Invoke class per library"));
        var readers = RepositorySources.CodeLines(RepositorySources.Files("src", "*.cs")).Where(l => ErrorSlot().IsMatch(l.Text))
            .Where(l => !imports.Any(g => g.Contains(l.File))).Select(l => l.ToString()).ToList();
        Assert.True(readers.Count == 0, "a native library's error slot is read by its P/Invoke class alone:\n" + string.Join("\n", readers));
    }

    [Fact]
    public void EachNativeLibraryIsBuiltByTheProjectThatCallsIt()
    {
        var projects = RepositorySources.Files("src", "*.csproj");
        foreach (var library in ImportingFiles())
        {
            string caller = library.Single();
            var building = projects.Where(p => File.ReadAllText(Path.Combine(RepositorySources.Root, p)).Contains($"lib{library.Key}.so")).ToList();
            Assert.Equal([projects.Single(p => caller.StartsWith(Path.GetDirectoryName(p)! + "/", StringComparison.Ordinal))], building);
        }
    }
}
