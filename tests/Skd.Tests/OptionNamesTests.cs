namespace Skd.Tests;

/// <summary>
/// Library errors speak of the library's options (<c>'seeds'</c>), never of a command line's flags:
/// a front end renders the options its own way (<see cref="OptionNames.MessageOf"/>).
/// </summary>
public sealed partial class OptionNamesTests
{
    [GeneratedRegex(@"""[^""]*--[a-z]")]
    private static partial Regex SpellsAFlag();

    [Fact]
    public void NoLibrarySourceSpellsAFlagInAString()
    {
        var sources = RepositorySources.Files("src/Skd", "*.cs").Concat(RepositorySources.Files("src/Skd.Torch", "*.cs")).ToList();
        Assert.NotEmpty(sources);
        var offenders = RepositorySources.CodeLines(sources).Where(l => SpellsAFlag().IsMatch(l.Text)).Select(l => l.ToString()).ToList();
        Assert.True(offenders.Count == 0, "name the option through OptionNames instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void AnOptionIsNamedByTheLibraryAndRenderedByTheFrontEnd()
    {
        var e = Assert.Throws<OptionException>(() => new CompareConfig { Data = "d", Methods = ["supervised"], Seeds = 0 }.Validate());
        Assert.Equal("'seeds' must be at least 1, got 0", e.Message);
        Assert.Equal("--seeds must be at least 1, got 0", OptionMessages.AsFlags(e));
        var widths = Assert.Throws<OptionException>(() => new CompareConfig { Data = "d", Methods = ["supervised"], TeacherWidth = 0 }.Validate());
        Assert.Equal("widths must be at least 1, got --width 16, --teacher-width 0", OptionMessages.AsFlags(widths));
        // An exception naming no option keeps its message.
        Assert.Equal("plain", OptionNames.MessageOf(new IOException("plain"), o => "--" + o));
    }
}
