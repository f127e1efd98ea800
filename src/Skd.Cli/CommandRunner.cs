namespace Skd.Cli;

/// <summary>
/// Runs a verb's body: applies the global options, and turns the errors a user can cause (bad
/// arguments, bad files, libtorch's complaints) into one clear line on stderr and exit code 1,
/// instead of a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static void SetRunner(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(parse =>
        {
            try
            {
                GlobalOptions.Apply(parse);
                return body(parse);
            }
            catch (Exception e) when (UsersError(e) is { } error)
            {
                Console.Error.WriteLine($"{command.Path()}: error: {OptionNames.MessageOf(error, Flag)}");
                return 1;
            }
        });

    /// <summary>The flag of a library option (<see cref="OptionNames"/>): <c>--</c> and its name in kebab case, the output folders <c>--out</c>.</summary>
    internal static string Flag(string option) => option switch
    {
        "run_dir" or "out_dir" => "--out",
        _ => "--" + option.Replace('_', '-'),
    };

    /// <summary>The verb as typed, from the root: "skd synth vessels", "skd train".</summary>
    public static string Path(this Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Add(c is RootCommand ? "skd" : c.Name);
        return string.Join(' ', Enumerable.Reverse(names));
    }

    /// <summary>
    /// The error to report when <paramref name="e"/> is one a user can cause (bad input, files,
    /// permissions, a full disk, memory; from inside a parallel loop too), else null: a bug, whose
    /// stack trace is wanted.
    /// </summary>
    private static Exception? UsersError(Exception e) => e switch
    {
        AggregateException { InnerExceptions: [var first, ..] } => UsersError(first),
        ArgumentException or TorchException or IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException
            or FormatException or NotSupportedException or ArithmeticException or Skd.Data.DataFormatException => e,
        OutOfMemoryException => new OutOfMemoryException($"out of memory ({e.Message}); a smaller --batch, --size or --max-pixels helps"),
        _ => null,
    };
}
