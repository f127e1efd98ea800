namespace Skd.Tests;

/// <summary>
/// Every file the toolkit writes goes through the one atomic writer (Skd.IO.AtomicFile): no other
/// source file opens a file for writing, and the native layer writes no file itself (OpenCV's
/// imwrite reports no full disk). A writer added later that bypasses it fails here.
/// </summary>
public sealed partial class WritersTests
{
    /// <summary>The files allowed to open files for writing: the writer itself, and the folder lock (an empty file never written).</summary>
    private static readonly string[] Allowed = ["src/Skd/IO/AtomicFile.cs", "src/Skd/Training/FolderLock.cs"];

    [GeneratedRegex(@"File\.(WriteAll|AppendAll|Create|OpenWrite|Open\()|new FileStream\(|FileMode\.(Create|Append|OpenOrCreate)|new StreamWriter\(""|\b(imwrite|fopen|ofstream)\b")]
    private static partial Regex WritesAFile();

    [Fact]
    public void OnlyTheAtomicWriterWritesFiles()
    {
        var sources = RepositorySources.Files("src", "*.cs").Concat(RepositorySources.Files("native", "*.cpp").Where(f => !f.Contains("/build/")).Concat(RepositorySources.Files("src", "*.cpp"))).ToList();
        Assert.NotEmpty(sources);
        var offenders = RepositorySources.CodeLines(sources.Where(f => !Allowed.Contains(f)))
            .Where(l => WritesAFile().IsMatch(l.Text)).Select(l => l.ToString()).ToList();
        Assert.True(offenders.Count == 0, "write through AtomicFile instead:\n" + string.Join("\n", offenders));
    }
}
