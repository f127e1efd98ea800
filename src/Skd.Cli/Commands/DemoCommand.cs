using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Skd.Data.Synthetic;
using Skd.Training;
using Skd.Torch;
using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd demo</c>: the built-in first run. Generates angiography-like images (the generator of
/// <c>skd synth vessels</c>) into a temporary folder, trains a small U-Net on them with the
/// trainer of <c>skd train</c> (binary defaults: Adam, cross-entropy + Dice, flips), prints the
/// falling loss per epoch and the Dice on the held-out validation images, and deletes the folder.
/// </summary>
internal static class DemoCommand
{
    private const int Images = 80;

    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (passes over the 54 training images).", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Image side in pixels (a multiple of 4, at least 32).", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Seed of data, initialisation and order.", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Train a small U-Net on generated vessel images and print the falling loss (no data needed, nothing kept).");
        foreach (var o in new Option[] { epochs, batch, size, seed }) command.Options.Add(o);
        command.SetRunner(parse => Run(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(size), parse.GetValue(seed)));
        return command;
    }

    private static int Run(int epochs, int batch, int size, int seed)
    {
        if (epochs < 1 || batch < 1 || size < 32 || size % 4 != 0)
            throw new ArgumentException("--epochs and --batch must be positive and --size a multiple of 4 of at least 32");
        string folder = Directory.CreateTempSubdirectory("skd-demo-").FullName;
        try
        {
            string data = Path.Combine(folder, "vessels");
            VesselGenerator.Write(data, Images, size, seed);
            var config = TrainConfig.For(data) with { Width = 8, Depth = 2, Size = size, Epochs = epochs, Batch = batch, Lr = 3e-3, Seed = seed };
            var clock = Stopwatch.StartNew();
            var result = TrainingRun.Start(config, Path.Combine(folder, "run"), new EpochLines());
            AnsiConsole.MarkupLine($"[green]done[/] in {clock.Elapsed.TotalSeconds:F1} s; vessel Dice on the held-out images: " +
                                   $"[bold]{(result.BestScore ?? 0).ToString("F3", CultureInfo.InvariantCulture)}[/] (epoch {result.BestEpoch})");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private sealed class EpochLines : ITrainingObserver
    {
        public void RunStarted(TrainingPlan plan) =>
            AnsiConsole.MarkupLine($"[bold]skd demo[/]: {plan.Config.Epochs} epochs of {plan.StepsPerEpoch} steps, batch {plan.Config.Batch}, " +
                                   $"{plan.TrainSamples} generated {plan.Config.Size}×{plan.Config.Size} angiograms, {plan.StudentParameters:N0} parameters, " +
                                   $"libtorch {torch.Version}, {torch.NumThreads} thread(s)");

        public void EpochCompleted(EpochRecord record, bool isBest) =>
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {record.Epoch,3}  loss {record.Total:F4}  validation Dice {record.ValDice ?? double.NaN:F3}  ({record.ImagesPerSecond:F0} images/s)"));
    }
}
