using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Skd.Data;
using Skd.Training;
using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd train --data DIR --method M --out RUN [options]</c> and <c>skd train --resume RUN</c>: trains
/// a student U-Net with a method into a run folder (config.json, log.jsonl, last.safetensors,
/// best.safetensors, curves.png). The options are the fields of <see cref="TrainConfig"/>: a
/// <c>--config</c> file gives any of them, the flags override it, the task's defaults fill the rest.
/// </summary>
internal static class TrainCommand
{
    /// <summary>A flag and the config field it sets.</summary>
    private sealed record Field(Option Option, string Key, Func<ParseResult, JsonNode?> Value);

    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "The run folder to create (it must not exist or be empty)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last.safetensors (no other option is taken: the run's config.json holds them)." };
        var configFile = new Option<string?>("--config") { Description = "A JSON file of training options (the keys of a run's config.json); flags override it." };
        var methodOptions = new Option<string[]>("--option")
        {
            Description = "A method option, name=value (repeatable; see the method's options in its error message or skd info --method).",
            AllowMultipleArgumentsPerToken = false,
        };
        var fields = new List<Field>
        {
            Text("--data", "data", "The dataset folder."),
            new(DatasetCommand.Layout, "layout", p => p.GetValue(DatasetCommand.Layout) is { } l ? JsonValue.Create(l) : null),
            new(DatasetCommand.Channels, "channels", p => DatasetCommand.ChannelsOf(p) is { } c ? JsonValue.Create(c.Name()) : null),
            Text("--task", "task", "binary or multiclass (default: binary when the data has 2 classes). Picks the defaults below."),
            Text("--method", "method", "The training method (default supervised)."),
            Text("--teacher", "teacher", "The teacher's run folder or model file, for offline distillation methods."),
            Number<int>("--width", "width", "Channels of the student's first stage (default 16; 64 is the full U-Net)."),
            Number<int>("--depth", "depth", "Pooling stages of the student U-Net (default 4)."),
            Number<int>("--size", "size", "Side of the square training images, a multiple of 2^depth (default 224 multi-class, 256 binary)."),
            Number<int>("--epochs", "epochs", "Epochs (default 150 multi-class, 100 binary)."),
            Number<int>("--batch", "batch", "Images per step (default 24 multi-class, 8 binary)."),
            Text("--optimizer", "optimizer", "sgd, adam or adamw (default sgd multi-class, adam binary)."),
            Number<double>("--lr", "lr", "Base learning rate (default 0.01 multi-class, 1e-3 binary)."),
            Number<double>("--momentum", "momentum", "SGD momentum (default 0.9)."),
            Number<double>("--weight-decay", "weight_decay", "Weight decay (default 1e-4 multi-class, 0 binary)."),
            Text("--schedule", "schedule", "Learning-rate schedule over the steps: poly (power 0.9), cosine, step (x step_gamma every step_epochs) or constant (default poly)."),
            Text("--preset", "preset", "A named training protocol over the task's defaults, under the other options: dskd-reimpl (AdamW 1e-3, wd 1e-5, StepLR(10, 0.3), 50 epochs, batch 4, 256x256)."),
            Number<int>("--seed", "seed", "Seed of the initial weights, the batch order and the augmentation (default 0)."),
            Text("--device", "device", "cpu, cuda or cuda:N (default cpu)."),
            new(MemoryFormatOption.Option, "memory_format", p => p.GetValue(MemoryFormatOption.Option) is { } f ? JsonValue.Create(f) : null),
            Number<int>("--val-every", "val_every", "Validate every N epochs, and after the last (default 1)."),
            Number<int>("--workers", "workers", "Threads assembling batches (default 2)."),
            Number<int>("--grad-norm-every", "grad_norm_every", "Log each loss term's gradient norm at the student's penultimate features every N steps (default 50; 0: never)."),
        };
        var command = new Command("train", "Train a student U-Net with a method into a run folder (checkpoints, log, curves); or resume a run.");
        foreach (var o in new Option[] { output, resume, configFile, methodOptions }.Concat(fields.Select(f => f.Option))) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            if (parse.GetValue(resume) is { } runDir)
            {
                var given = fields.Select(f => f.Option).Append(output).Append(configFile).Append(methodOptions).Where(o => parse.GetResult(o) is { Implicit: false }).ToList();
                if (given.Count > 0)
                    throw new ArgumentException($"--resume takes no other training option (the run's config.json holds them), got {string.Join(", ", given.Select(o => o.Name))}");
                return Train(runDir, cancel => Render(observer => TrainingRun.Resume(runDir, observer, cancel)));
            }
            string outDir = parse.GetValue(output) ?? throw new ArgumentException("give --out RUN_FOLDER (or --resume RUN_FOLDER)");
            var overrides = parse.GetValue(configFile) is { } file ? TrainConfig.ReadObject(file) : new JsonObject();
            foreach (var field in fields)
                if (parse.GetResult(field.Option) is { Implicit: false } && field.Value(parse) is { } value) overrides[field.Key] = value;
            if (parse.GetValue(methodOptions) is { Length: > 0 } pairs) overrides["method_options"] = MethodOptions(overrides["method_options"] as JsonObject, pairs);
            var config = TrainConfig.Resolve(overrides);
            return Train(outDir, cancel => Render(observer => TrainingRun.Start(config, outDir, observer, cancel)));
        });
        return command;
    }

    private static Field Text(string name, string key, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        return new(option, key, p => p.GetValue(option) is { } v ? JsonValue.Create(v) : null);
    }

    private static Field Number<T>(string name, string key, string description) where T : struct
    {
        var option = new Option<T?>(name) { Description = description };
        return new(option, key, p => p.GetValue(option) is { } v ? JsonValue.Create(v) : null);
    }

    /// <summary>The config file's method options with each name=value of the command line over them.</summary>
    private static JsonObject MethodOptions(JsonObject? fromFile, string[] pairs)
    {
        var options = (JsonObject?)fromFile?.DeepClone() ?? new JsonObject();
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--option takes name=value, got '{pair}'");
            options[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return options;
    }

    /// <summary>Runs training with Ctrl+C stopping it between steps; prints where the run stands.</summary>
    private static int Train(string runDir, Func<CancellationToken, TrainingResult> run) => Interruption.Run(cancel =>
    {
        var result = run(cancel);
        string best = result.BestScore is { } s ? $"best validation Dice {s.ToString("F4", CultureInfo.InvariantCulture)} at epoch {result.BestEpoch}" : "no validation";
        AnsiConsole.MarkupLine($"[green]done[/]: {result.Epochs} epochs, {Markup.Escape(best)}, {result.WallTime.TotalSeconds:F1} s; " +
                               $"{Markup.Escape(result.BestPath)}, {Markup.Escape(result.CurvesPath)}");
        return 0;
    }, $"skd train: interrupted; continue with: skd train --resume {Path.GetFullPath(runDir)}");

    private static TrainingResult Render(Func<ITrainingObserver, TrainingResult> run) =>
        ProgressDisplay.Run(AnsiConsole.Console, Terminal.StdoutIsLive, display => run(new TrainProgress(display)), keep: true);
}
