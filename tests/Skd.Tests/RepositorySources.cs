namespace Skd.Tests;

/// <summary>The repository's source files, line by line, for tests that check a rule over every source (not in obj/ or bin/).</summary>
internal static class RepositorySources
{
    /// <summary>The folder holding Skd.slnx, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A line of code: its file (relative to <see cref="Root"/>, with '/'), its number, its text trimmed; comment lines left out.</summary>
    public sealed record Line(string File, int Number, string Text)
    {
        public override string ToString() => $"{File}:{Number}: {Text}";
    }

    /// <summary>The files under <paramref name="folder"/> (relative to <see cref="Root"/>) matching <paramref name="pattern"/>.</summary>
    public static IReadOnlyList<string> Files(string folder, string pattern, SearchOption search = SearchOption.AllDirectories) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), pattern, search)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).ToList();

    /// <summary>The code lines of <paramref name="files"/> (as <see cref="Files"/> names them), lines starting with // left out.</summary>
    public static IEnumerable<Line> CodeLines(IEnumerable<string> files) =>
        files.SelectMany(f => File.ReadLines(Path.Combine(Root, f)).Select((text, i) => new Line(f, i + 1, text.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal));

    private static string FindRoot()
    {
        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Skd.slnx"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("no Skd.slnx above the tests");
        return repo;
    }
}
