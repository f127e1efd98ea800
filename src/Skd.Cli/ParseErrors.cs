using System.CommandLine.Parsing;

namespace Skd.Cli;

/// <summary>
/// Reports the command line's own errors on a verb (an unknown option, a value that is not a
/// number, a missing required option, a value its option refuses) as the verb reports every other
/// error (<see cref="CommandRunner"/>): one line each on stderr naming the verb, exit code 1, without
/// the help text and without .NET's type names ('System.Nullable`1[System.Int32]'). A group of verbs
/// (skd, skd synth) given no verb keeps the library's help, which lists them.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Parses <paramref name="args"/> and runs the verb, or reports its errors.</summary>
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        var command = parse.CommandResult.Command;
        if (parse.Errors.Count == 0 || command.Action is null) return parse.Invoke();
        foreach (var error in parse.Errors) Console.Error.WriteLine($"{command.Path()}: error: {Message(error)}");
        return 1;
    }

    private static string Message(ParseError error)
    {
        if (error.SymbolResult is not OptionResult { Option: var option } result) return error.Message;
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType.GetElementType() ?? option.ValueType;
        var number = Numbers.FirstOrDefault(n => n.Type == type);
        if (number.Type is null) return error.Message;
        var bad = result.Tokens.FirstOrDefault(t => !number.Parses(t.Value));
        return bad is null ? error.Message : $"{option.Name} expects {number.Expected}, got '{bad.Value}'";
    }

    private static readonly (Type Type, string Expected, Func<string, bool> Parses)[] Numbers =
    [
        (typeof(int), $"a whole number from {int.MinValue} to {int.MaxValue}", v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
        (typeof(long), $"a whole number from {long.MinValue} to {long.MaxValue}", v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
        (typeof(double), "a number", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
    ];
}
