namespace Skd.Bench;

/// <summary>The bench's <c>--name value</c> command-line options.</summary>
internal sealed class Arguments(string[] args)
{
    public string? Text(string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public int? Int(string name) => Text(name) is { } v ? int.Parse(v) : null;
}
