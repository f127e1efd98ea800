namespace Skd.Cli.Commands;

/// <summary>
/// String options that take only the names they list (help shows them, and a name outside them is an error),
/// declared with their names in one place.
/// </summary>
internal static class ChoiceOption
{
    /// <summary>An option that takes one of <paramref name="names"/>, the first when it is not given.</summary>
    public static Option<string> DefaultFirst(string name, string[] names, string description)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => names[0] };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    /// <summary>An option that takes one of <paramref name="names"/>; null when it is not given.</summary>
    public static Option<string?> Optional(string name, string[] names, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.AcceptOnlyFromAmong(names);
        return option;
    }
}
