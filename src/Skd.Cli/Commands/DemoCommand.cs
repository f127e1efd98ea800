using System.CommandLine;
using Skd.Comparison;
using Skd.Data.Synthetic;
using Skd.Torch;
using Skd.Training;
using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd demo</c>: the built-in main job. Generates angiography-like vessel images (the generator
/// of <c>skd synth vessels</c>) and runs <c>skd compare</c> on them: the plain student
/// (<c>supervised</c>) against <c>dskd</c> and <c>acw-skd</c>, a U-Net of width 8, for each seed;
/// prints the results table and leaves results.md, results.csv, dice.png and every run folder in
/// <c>--out</c>. Run again, it reuses what is done. About 5 minutes on 2 CPU cores.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the generated data and the comparison.", DefaultValueFactory = _ => "skd-demo" };
        var images = new Option<int>("--images") { Description = "Generated images (75% train and validation, 25% test).", DefaultValueFactory = _ => 96 };
        var size = new Option<int>("--size") { Description = "Image side in pixels (a multiple of 8).", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs of every run.", DefaultValueFactory = _ => 30 };
        var seeds = new Option<int>("--seeds") { Description = "Runs per method.", DefaultValueFactory = _ => 3 };
        var methods = new Option<string>("--methods") { Description = "Methods compared with supervised.", DefaultValueFactory = _ => "dskd,acw-skd" };
        var command = new Command("demo", "The main job on built-in data: generate vessel images, compare supervised, dskd and acw-skd students on them, print the results.");
        foreach (var o in new Option[] { output, images, size, epochs, seeds, methods }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            int count = parse.GetValue(images), side = parse.GetValue(size);
            if (count < 14 || side < 32 || side % 8 != 0) throw new ArgumentException("--images must be at least 14 and --size a multiple of 8 of at least 32");
            string data = Path.Combine(outDir, $"vessels-{count}x{side}");
            if (!File.Exists(Path.Combine(data, "dataset.json")))
            {
                AnsiConsole.MarkupLine(Markup.Escape($"skd demo: generating {count} {side}×{side} vessel images into {data}"));
                VesselGenerator.Write(data, count, side, seed: 0);
            }
            var config = new CompareConfig
            {
                Data = data,
                Methods = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Seeds = parse.GetValue(seeds),
                Width = 8,
                Training = new TrainOptions { Epochs = parse.GetValue(epochs), Size = side, Depth = 3, Lr = 3e-3 },
            };
            AnsiConsole.MarkupLine(Markup.Escape($"skd demo: {string.Join(", ", config.Validate().Methods)}; U-Net width 8, depth 3; {config.Seeds} seed(s), " +
                                                 $"{parse.GetValue(epochs)} epochs each; libtorch {torch.Version}, {torch.NumThreads} thread(s)"));
            return CompareCommand.Compare(config, Path.Combine(outDir, "comparison"));
        });
        return command;
    }
}
