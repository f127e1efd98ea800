namespace Skd.Distillation;

/// <summary>One option of a method: name (as on the command line, <c>--option name=value</c>), default and meaning.</summary>
public sealed record MethodOption(string Name, string Default, string Description);

/// <summary>
/// The option values of one method: what the user gave (command line or config file), the
/// declared defaults for the rest. Unknown names and unparsable values fail with a message that
/// lists the method's options.
/// </summary>
public sealed class MethodOptions
{
    private readonly MethodInfo method;
    private readonly Dictionary<string, string> given;

    public MethodOptions(MethodInfo method, IReadOnlyDictionary<string, string>? given = null)
    {
        this.method = method;
        this.given = new Dictionary<string, string>(given ?? new Dictionary<string, string>());
        foreach (var name in this.given.Keys)
            if (method.Options.All(o => o.Name != name))
                throw new ArgumentException($"method '{method.Name}' has no option '{name}'; its options: " +
                                            (method.Options.Count == 0 ? "none" : string.Join(", ", method.Options.Select(o => o.Name))));
    }

    /// <summary>Every option with its value (given or default), in declaration order: what a run folder records.</summary>
    public IReadOnlyDictionary<string, string> Resolved =>
        method.Options.ToDictionary(o => o.Name, o => given.GetValueOrDefault(o.Name, o.Default));

    public string String(string name) => given.TryGetValue(name, out var v) ? v : Declared(name).Default;

    public double Double(string name) =>
        double.TryParse(String(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : throw Bad(name, "a number");

    public int Int(string name) =>
        int.TryParse(String(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(name, "an integer");

    public bool Bool(string name) => String(name).ToLowerInvariant() switch
    {
        "true" or "on" or "yes" or "1" => true,
        "false" or "off" or "no" or "0" => false,
        _ => throw Bad(name, "on/off (true/false)"),
    };

    /// <summary>A value from a fixed set (case-insensitive), returned in the set's spelling.</summary>
    public string Choice(string name, params string[] allowed) =>
        allowed.FirstOrDefault(a => a.Equals(String(name), StringComparison.OrdinalIgnoreCase)) ?? throw Bad(name, "one of " + string.Join(", ", allowed));

    private MethodOption Declared(string name) =>
        method.Options.FirstOrDefault(o => o.Name == name) ?? throw new InvalidOperationException($"method '{method.Name}' reads undeclared option '{name}'");

    private ArgumentException Bad(string name, string expected) =>
        new($"method '{method.Name}': option {name}={String(name)} is not valid: expected {expected} ({Declared(name).Description})");
}
