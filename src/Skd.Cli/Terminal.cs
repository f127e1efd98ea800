namespace Skd.Cli;

/// <summary>
/// What the command's two output streams are, decided once for every verb: a terminal gets colours
/// and progress bars redrawn in place; a pipe or a file (CI, nohup, a cluster job's log) gets plain
/// text: no ANSI sequences, lines not wrapped at 80 columns, and no bars, only the lines each verb
/// prints itself (one per epoch, one per run, one every tenth of the cases).
/// </summary>
internal static class Terminal
{
    /// <summary>How wide a line may be when written to a file: as long as the verb makes it (tables included).</summary>
    private const int FileWidth = 4096;

    /// <summary>Progress bars on stderr (case loops), so that stdout holds only what a script may parse.</summary>
    public static IAnsiConsole Stderr { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Whether stdout is a terminal that redraws bars in place.</summary>
    public static bool StdoutIsLive => IsLive(AnsiConsole.Console, Console.IsOutputRedirected);

    /// <summary>Whether stderr is a terminal that redraws bars in place.</summary>
    public static bool StderrIsLive => IsLive(Stderr, Console.IsErrorRedirected);

    /// <summary>Makes <see cref="AnsiConsole"/> write plain, unwrapped text when stdout is not a terminal.</summary>
    public static void Configure()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Console = Create(Console.Out, redirected: true);
    }

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        if (!redirected) return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = FileWidth;
        return console;
    }

    private static bool IsLive(IAnsiConsole console, bool redirected) => !redirected && console.Profile.Capabilities is { Interactive: true, Ansi: true };
}
