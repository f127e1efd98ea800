using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// A progress bar over cases, drawn on stderr (as tqdm does) so that stdout holds only the results
/// a script may parse; it clears itself when done.
/// </summary>
internal static class CaseProgress
{
    private static readonly IAnsiConsole Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });

    /// <summary>Runs <paramref name="step"/> on each item, advancing the bar after each.</summary>
    public static void ForEach<T>(string description, IReadOnlyList<T> items, Action<T> step) =>
        Console.Progress().AutoClear(true).Start(progress =>
        {
            var task = progress.AddTask(description, maxValue: items.Count);
            foreach (var item in items)
            {
                step(item);
                task.Increment(1);
            }
        });
}
