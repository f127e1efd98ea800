namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd train --data DIR --method M --out RUN [options]</c> and <c>skd train --resume RUN</c>: trains
/// a student U-Net with a method into a run folder (config.json, log.jsonl, last.safetensors,
/// best.safetensors, curves.png). The options are the fields of <see cref="TrainOptions"/>: a
/// <c>--config</c> file gives any of them, the flags override it, the task's defaults fill the rest.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "The run folder to create (it must not exist or be empty)." };
        var resume = new Option<string?>("--resume") { Description = $"Continue the run in this folder from its {RunLayout.LastName} (no other option is taken: the run's {RunLayout.ConfigName} holds them)." };
        var configFile = new Option<string?>("--config") { Description = $"A JSON file of training options (the keys of a run's {RunLayout.ConfigName}); flags override it." };
        var methodOptions = new Option<string[]>("--option")
        {
            Description = "A method option, name=value (repeatable; see the method's options in its error message or skd info --method).",
            AllowMultipleArgumentsPerToken = false,
        };
        var fields = Flags();
        var command = new Command("train", "Train a student U-Net with a method into a run folder (checkpoints, log, curves); or resume a run.");
        foreach (var o in new Option[] { output, resume, configFile, methodOptions }.Concat(fields.Select(f => f.Option))) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            if (parse.GetValue(resume) is { } runDir)
            {
                var given = fields.Select(f => f.Option).Append(output).Append(configFile).Append(methodOptions).Where(o => parse.GetResult(o) is { Implicit: false }).ToList();
                if (given.Count > 0)
                    throw new ArgumentException($"--resume takes no other training option (the run's {RunLayout.ConfigName} holds them), got {string.Join(", ", given.Select(o => o.Name))}");
                return Train(runDir, cancel => Render(observer => TrainingRun.Resume(runDir, observer, cancel)));
            }
            string outDir = parse.GetValue(output) ?? throw new ArgumentException("give --out RUN_FOLDER (or --resume RUN_FOLDER)");
            var options = TrainOptionFlag.Over(parse.GetValue(configFile) is { } file ? TrainOptions.Read(file) : new TrainOptions(), parse, fields);
            if (parse.GetValue(methodOptions) is { Length: > 0 } pairs) options = options with { MethodOptions = MethodOptions(options.MethodOptions, pairs) };
            var config = options.Resolve();
            return Train(outDir, cancel => Render(observer => TrainingRun.Start(config, outDir, observer, cancel)));
        });
        return command;
    }

    /// <summary>The flags that set a field of <see cref="TrainOptions"/>, in the order help lists them; skd compare passes some of them to every run.</summary>
    public static List<TrainOptionFlag> Flags() =>
    [
        TrainOptionFlag.Text("--data", "The dataset folder.", (o, v) => o with { Data = v }),
        TrainOptionFlag.Of(DatasetCommand.Layout, (o, v) => o with { Layout = v }),
        TrainOptionFlag.Of(DatasetCommand.Channels, (o, v) => o with { Channels = ImageInput.Parse(v) }),
        TrainOptionFlag.Choice<TrainingTask>("--task", "binary or multiclass (default: binary when the data has 2 classes). Picks the defaults below.", (o, v) => o with { Task = v }),
        TrainOptionFlag.Text("--method", "The training method (default supervised).", (o, v) => o with { Method = v }),
        TrainOptionFlag.Text("--teacher", "The teacher's run folder or model file, for offline distillation methods.", (o, v) => o with { Teacher = v }),
        TrainOptionFlag.Number<int>("--width", "Channels of the student's first stage (default 16; 64 is the full U-Net).", (o, v) => o with { Width = v }),
        TrainOptionFlag.Number<int>("--depth", "Pooling stages of the student U-Net (default 4).", (o, v) => o with { Depth = v }),
        TrainOptionFlag.Number<int>("--size", "Side of the square training images, a multiple of 2^depth (default 224 multi-class, 256 binary).", (o, v) => o with { Size = v }),
        TrainOptionFlag.Number<int>("--epochs", "Epochs (default 150 multi-class, 100 binary).", (o, v) => o with { Epochs = v }),
        TrainOptionFlag.Number<int>("--batch", "Images per step (default 24 multi-class, 8 binary).", (o, v) => o with { Batch = v }),
        TrainOptionFlag.Text("--optimizer", "sgd, adam or adamw (default sgd multi-class, adam binary).", (o, v) => o with { Optimizer = v }),
        TrainOptionFlag.Number<double>("--lr", "Base learning rate (default 0.01 multi-class, 1e-3 binary).", (o, v) => o with { Lr = v }),
        TrainOptionFlag.Number<double>("--momentum", "SGD momentum (default 0.9).", (o, v) => o with { Momentum = v }),
        TrainOptionFlag.Number<double>("--weight-decay", "Weight decay (default 1e-4 multi-class, 0 binary).", (o, v) => o with { WeightDecay = v }),
        TrainOptionFlag.Text("--schedule", "Learning-rate schedule over the steps: poly (power 0.9), cosine, step (x step_gamma every step_epochs) or constant (default poly).", (o, v) => o with { Schedule = v }),
        TrainOptionFlag.Text("--preset", "A named training protocol over the task's defaults, under the other options: dskd-reimpl (AdamW 1e-3, wd 1e-5, StepLR(10, 0.3), 50 epochs, batch 4, 256x256).", (o, v) => o with { Preset = v }),
        TrainOptionFlag.Number<int>("--seed", "Seed of the initial weights, the batch order and the augmentation (default 0).", (o, v) => o with { Seed = v }),
        TrainOptionFlag.Text("--device", "cpu, cuda or cuda:N (default cpu).", (o, v) => o with { Device = v }),
        TrainOptionFlag.Of(MemoryFormatOption.Option, (o, v) => o with { MemoryFormat = v }),
        TrainOptionFlag.Number<int>("--val-every", "Validate every N epochs, and after the last (default 1).", (o, v) => o with { ValEvery = v }),
        TrainOptionFlag.Number<int>("--workers", "Threads assembling batches (default 2).", (o, v) => o with { Workers = v }),
        TrainOptionFlag.Number<int>("--grad-norm-every", "Log each loss term's gradient norm at the student's penultimate features every N steps (default 50; 0: never).", (o, v) => o with { GradNormEvery = v }),
    ];

    /// <summary>The config file's method options with each name=value of the command line over them.</summary>
    internal static Dictionary<string, string> MethodOptions(IReadOnlyDictionary<string, string>? fromFile, string[] pairs)
    {
        var options = fromFile?.ToDictionary() ?? [];
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
