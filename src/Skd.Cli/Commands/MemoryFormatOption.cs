namespace Skd.Cli.Commands;

/// <summary><c>--memory-format</c>, one definition for the verbs that run a network in libtorch (train, eval, predict).</summary>
internal static class MemoryFormatOption
{
    public static readonly Option<string?> Option = ChoiceOption.Optional("--memory-format", [.. MemoryFormats.Names],
        "Layout of the network's weights and activations in libtorch: channels-last or contiguous (the same results; " +
        $"default {MemoryFormats.Default.Name()}, the faster here). Eval and predict: the torch engine's.");

    /// <summary>The format given, or null when the option is absent.</summary>
    public static MemoryFormat? Value(ParseResult parse) => parse.GetValue(Option) is { } name ? MemoryFormats.Parse(name) : null;
}
