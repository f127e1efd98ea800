namespace Skd.Cli.Commands;

/// <summary>
/// Progress over cases, on stderr (as tqdm does) so that stdout holds only the results a script may
/// parse: on a terminal a bar that clears itself when done; elsewhere a line "DESCRIPTION: N/M"
/// after every tenth of the cases and after the last.
/// </summary>
internal static class CaseProgress
{
    /// <summary>Runs <paramref name="step"/> on each item, reporting after each.</summary>
    public static void ForEach<T>(string description, IReadOnlyList<T> items, Action<T> step) =>
        ProgressDisplay.Run(Terminal.Stderr, Terminal.StderrIsLive, progress =>
        {
            var bar = progress.Add(description, items.Count);
            int every = Math.Max(1, (items.Count + 9) / 10), done = 0;
            foreach (var item in items)
            {
                step(item);
                bar.Increment();
                if (!bar.IsLive && (++done % every == 0 || done == items.Count)) Console.Error.WriteLine($"{description}: {done}/{items.Count}");
            }
            return 0;
        });
}
