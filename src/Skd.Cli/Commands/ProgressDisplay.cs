namespace Skd.Cli.Commands;

/// <summary>
/// Progress bars as every verb shows them: on a terminal (<see cref="Terminal"/>), Spectre's bars
/// redrawn in place with the task, the bar, the percentage and the remaining time; elsewhere no
/// bars at all (<see cref="ProgressBar.IsLive"/> false), the verb printing its own plain lines.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly ProgressContext? context;

    private ProgressDisplay(ProgressContext? context) => this.context = context;

    /// <summary>Runs <paramref name="body"/> with bars on <paramref name="console"/> when <paramref name="live"/>; <paramref name="keep"/> leaves the last bar on screen.</summary>
    public static T Run<T>(IAnsiConsole console, bool live, Func<ProgressDisplay, T> body, bool keep = false)
    {
        if (!live) return body(new ProgressDisplay(null));
        T result = default!;
        console.Progress().AutoClear(!keep).HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(c => result = body(new ProgressDisplay(c)));
        return result;
    }

    /// <summary>A bar of <paramref name="steps"/> steps (drawn only on a terminal).</summary>
    public ProgressBar Add(string description, double steps) => new(context?.AddTask(Markup.Escape(description), maxValue: steps));
}

/// <summary>One bar of a <see cref="ProgressDisplay"/>; every call does nothing when there is no terminal.</summary>
internal sealed class ProgressBar(ProgressTask? task)
{
    public bool IsLive => task is not null;

    public void Describe(string text)
    {
        if (task is not null) task.Description = Markup.Escape(text);
    }

    public void Increment() => task?.Increment(1);

    public void Stop() => task?.StopTask();
}
