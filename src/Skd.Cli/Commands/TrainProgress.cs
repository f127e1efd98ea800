using System.Diagnostics;

namespace Skd.Cli.Commands;

/// <summary>
/// Draws a training run: a progress bar per epoch showing the batch's loss terms, the learning
/// rate, images per second and the run's remaining time (the epoch's is the bar's own column),
/// and a line per finished epoch with the averaged terms and the validation Dice. Without a
/// terminal (<see cref="ProgressDisplay"/>) there are no bars: the epoch lines are the progress.
/// <c>quiet</c> keeps the bars and drops the lines (<c>skd compare</c> prints one line per run instead).
/// </summary>
internal sealed class TrainProgress(ProgressDisplay display, bool quiet = false) : ITrainingObserver
{
    private ProgressBar? bar;
    private TrainingPlan? plan;
    private readonly Stopwatch clock = new();

    public void RunStarted(TrainingPlan plan)
    {
        this.plan = plan;
        clock.Start();
        if (quiet) return;
        var c = plan.Config;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"skd train: {c.Method}, U-Net width {c.Width} depth {c.Depth} ({plan.StudentParameters:N0} parameters, {plan.TrainableParameters:N0} trained), " +
            $"{plan.TrainSamples} training slices, {plan.ValidationCases} validation cases, {c.Size}×{c.Size}, batch {c.Batch}, {c.Optimizer} lr {F(c.Lr)} {c.Schedule}, " +
            $"{c.Task.ToString().ToLowerInvariant()} task, {plan.Device}; epochs {plan.StartEpoch + 1}..{c.Epochs} -> {plan.RunDir}"));
    }

    public void EpochStarted(int epoch, int epochs, int steps) =>
        bar = display.Add($"epoch {epoch + 1}/{epochs}", steps);

    public void StepCompleted(StepProgress step)
    {
        if (bar is not { IsLive: true } || plan is null) return;
        double done = (step.Epoch - plan.StartEpoch) * (double)step.Steps + step.Step + 1;
        double left = (plan.Config.Epochs - plan.StartEpoch) * (double)step.Steps - done;
        var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * left);
        bar.Describe($"{step.Epoch + 1}/{step.Epochs} {string.Join(" ", step.Terms.Select(t => $"{t.Key} {F(t.Value)}"))} " +
                     $"lr {step.LearningRate.ToString("0.##e0", CultureInfo.InvariantCulture)} {step.ImagesPerSecond:F0} img/s ETA {eta:hh\\:mm\\:ss}");
        bar.Increment();
    }

    public void EpochCompleted(EpochRecord record, bool isBest)
    {
        bar?.Stop();
        if (quiet) return;
        string dice = record.ValDice is { } d ? $" val Dice {d.ToString("F4", CultureInfo.InvariantCulture)}" : "";
        if (record.SelfTeacherValDice is { } t) dice += $" (self-teacher {t.ToString("F4", CultureInfo.InvariantCulture)})";
        AnsiConsole.MarkupLine(Markup.Escape($"epoch {record.Epoch}: {string.Join(" ", record.Loss.Select(t => $"{t.Key} {F(t.Value)}"))} total {F(record.Total)}{dice} " +
                                             $"lr {F(record.Lr)} {record.Seconds:F1} s") + (isBest ? " [green]best[/]" : ""));
    }

    public void Note(string message) => AnsiConsole.MarkupLine($"[yellow]note[/]: {Markup.Escape(message)}");

    private static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
