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
        Run(description, items.Count, progress =>
        {
            for (int i = 0; i < items.Count; i++)
            {
                step(items[i]);
                progress.Report(i + 1);
            }
            return 0;
        });

    /// <summary>Runs <paramref name="work"/>, which reports how many of the <paramref name="total"/> cases it has done.</summary>
    public static T Run<T>(string description, int total, Func<IProgress<int>, T> work) =>
        ProgressDisplay.Run(Terminal.Stderr, Terminal.StderrIsLive, display => work(new Bar(description, total, display.Add(description, total))));

    /// <summary>Moves the bar to each reported count, synchronously (unlike <see cref="Progress{T}"/>, which posts); off a terminal, a line after every tenth.</summary>
    private sealed class Bar(string description, int total, ProgressBar bar) : IProgress<int>
    {
        private readonly int every = Math.Max(1, (total + 9) / 10);
        private int done;

        public void Report(int value)
        {
            for (; done < value; done++) bar.Increment();
            if (!bar.IsLive && (done % every == 0 || done == total)) Console.Error.WriteLine($"{description}: {done}/{total}");
        }
    }
}
