namespace Skd.Tests;

/// <summary>Library errors that name options: as the library words them, and as a front end of flags renders them.</summary>
internal static class OptionMessages
{
    /// <summary><paramref name="e"/>'s message with every option it names rendered as a flag (<c>--name-in-kebab-case</c>).</summary>
    public static string AsFlags(Exception e) => OptionNames.MessageOf(e, o => "--" + o.Replace('_', '-'));

    /// <summary>Asserts that <paramref name="e"/> names <paramref name="option"/> by its library name, and that a front end renders <paramref name="flagged"/>.</summary>
    public static void Names(Exception e, string option, string flagged)
    {
        Assert.Contains($"'{option}'", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Contains(flagged, AsFlags(e));
    }
}
