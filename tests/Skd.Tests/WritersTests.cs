using System.Text.RegularExpressions;

namespace Skd.Tests;

/// <summary>
/// Every file the toolkit writes goes through the one atomic writer (Skd.Torch.AtomicFile): no other
/// source file opens a file for writing, and the native layer writes no file itself (OpenCV's
/// imwrite reports no full disk). A writer added later that bypasses it fails here.
/// </summary>
public sealed partial class WritersTests
{
    /// <summary>The files allowed to open files for writing: the writer itself, and the folder lock (an empty file never written).</summary>
    private static readonly string[] Allowed = ["src/Skd.Torch/AtomicFile.cs", "src/Skd/Training/FolderLock.cs"];

    [GeneratedRegex(@"File\.(WriteAll|AppendAll|Create|OpenWrite|Open\()|new FileStream\(|FileMode\.(Create|Append|OpenOrCreate)|new StreamWriter\(""|\b(imwrite|fopen|ofstream)\b")]
    private static partial Regex WritesAFile();

    [Fact]
    public void OnlyTheAtomicWriterWritesFiles()
    {
        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Skd.slnx"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("no Skd.slnx above the tests");
        var sources = Directory.EnumerateFiles(Path.Combine(repo, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(repo, "native"), "*.cpp"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(sources);
        var offenders = sources.Where(f => !Allowed.Contains(Path.GetRelativePath(repo, f).Replace('\\', '/')))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(repo, f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && WritesAFile().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}").ToList();
        Assert.True(offenders.Count == 0, "write through AtomicFile instead:\n" + string.Join("\n", offenders));
    }
}
