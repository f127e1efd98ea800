namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd compare --data DIR --methods supervised,acw-skd,dskd --seeds N --out DIR [--width 16]
/// [--teacher-width 64] [--epochs E] ...</c>: every method for every seed, the teacher once when
/// an offline method needs it, each run evaluated on the test split; results.md, results.csv and
/// dice.png in the output folder. Run again with the same options, it resumes.
/// </summary>
internal static class CompareCommand
{
    /// <summary>The flags of skd train that compare passes to every run, in the order help lists them, with what its help says of each (null: as train's).</summary>
    private static readonly (string Name, string? Description)[] PerRunFlags =
    [
        ("--epochs", "Epochs of every run (default: the task's)."),
        ("--size", "Training image side (default: the task's)."),
        ("--batch", "Images per step (default: the task's)."),
        ("--depth", "U-Net depth of students and teacher (default 4)."),
        ("--lr", "Base learning rate (default: the task's)."),
        ("--optimizer", "sgd, adam or adamw (default: the task's)."),
        ("--device", null),
        ("--memory-format", null),
        ("--preset", "A named training protocol for every run (skd train --preset), e.g. dskd-reimpl."),
    ];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The dataset folder (any layout skd dataset reads).", Required = true };
        var output = new Option<string>("--out") { Description = "The comparison folder (created; the same command again resumes it).", Required = true };
        var methods = new Option<string>("--methods")
        {
            Description = "Comma-separated methods (skd methods lists them); supervised is always included, as the baseline every method is tested against.",
            DefaultValueFactory = _ => "supervised,acw-skd,dskd",
        };
        var seeds = new Option<int>("--seeds") { Description = "Runs per method, seeds 0..N-1.", DefaultValueFactory = _ => 3 };
        var width = new Option<int>("--width") { Description = "The students' width.", DefaultValueFactory = _ => 16 };
        var teacherWidth = new Option<int>("--teacher-width") { Description = "The teacher's width, trained once when an offline KD method is compared.", DefaultValueFactory = _ => 64 };
        var reference = new Option<bool>("--reference") { Description = "Also train the plain U-Net of --teacher-width (seed 0) as the upper reference, when no method needs it as a teacher." };
        var scoreSplit = new Option<string>("--score-split")
        {
            Description = "The split every run is scored on: test, or val for choosing hyperparameters without seeing the test cases.",
            DefaultValueFactory = _ => ComparisonLayout.TestSplit,
        };
        var configFile = new Option<string?>("--config") { Description = "A JSON file of training options shared by every run (skd train's config keys, e.g. {\"epochs\": 50, \"size\": 128})." };
        var methodOptions = new Option<string[]>("--option") { Description = "A method's option, METHOD.NAME=VALUE (repeatable), e.g. acw-skd.lambda-epochs=5." };
        var trainFlags = TrainCommand.Flags().ToDictionary(f => f.Option.Name);
        var shared = PerRunFlags.Select(p => trainFlags[p.Name].Describe(p.Description)).ToArray();
        var command = new Command("compare", "Train and evaluate several methods over several seeds and tabulate them against the plain student " +
            $"({ComparisonLayout.MarkdownName()}, {ComparisonLayout.CsvName()}, {ComparisonLayout.DiceChartName()}).");
        foreach (var o in new Option[] { data, DatasetCommand.Layout, DatasetCommand.Channels, methods, seeds, output, width, teacherWidth, reference, scoreSplit, configFile, methodOptions }.Concat(shared.Select(s => s.Option)))
            command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var training = TrainOptionFlag.Over(parse.GetValue(configFile) is { } file ? TrainOptions.Read(file) : new TrainOptions(), parse, shared);
            var config = new CompareConfig
            {
                Data = parse.GetValue(data)!,
                Layout = parse.GetValue(DatasetCommand.Layout),
                Channels = DatasetCommand.ChannelsOf(parse)?.Name(),
                Methods = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Seeds = parse.GetValue(seeds),
                Width = parse.GetValue(width),
                TeacherWidth = parse.GetValue(teacherWidth),
                Reference = parse.GetValue(reference),
                Training = training,
                MethodOptions = MethodOptions(parse.GetValue(methodOptions) ?? []),
            };
            return Compare(config, parse.GetValue(output)!, parse.GetValue(scoreSplit)!);
        });
        return command;
    }

    /// <summary>METHOD.NAME=VALUE pairs grouped by method.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> MethodOptions(string[] pairs)
    {
        var byMethod = new Dictionary<string, Dictionary<string, string>>();
        foreach (var pair in pairs)
        {
            int dot = pair.IndexOf('.'), eq = pair.IndexOf('=');
            if (dot <= 0 || eq <= dot + 1) throw new ArgumentException($"--option takes METHOD.NAME=VALUE, got '{pair}'");
            var method = Skd.Distillation.Methods.Find(pair[..dot].Trim()).Name;
            (byMethod.TryGetValue(method, out var options) ? options : byMethod[method] = new())[pair[(dot + 1)..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return byMethod.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value);
    }

    /// <summary>Runs a comparison with progress bars, scoring the runs on <paramref name="split"/>, prints its table (then <paramref name="summary"/>'s lines); Ctrl+C stops it resumably (exit 130).</summary>
    public static int Compare(CompareConfig config, string outDir, string split = ComparisonLayout.TestSplit, Action<IReadOnlyList<MethodSummary>>? summary = null) => Interruption.Run(cancel =>
    {
        var rows = ProgressDisplay.Run(AnsiConsole.Console, Terminal.StdoutIsLive, display => ComparisonRun.Run(config, outDir, new Observer(display, split), cancel, split));
        PrintTable(rows);
        var layout = new ComparisonLayout(Path.GetFullPath(outDir));
        summary?.Invoke(rows);
        AnsiConsole.MarkupLine(Markup.Escape($"results ({split} split): {layout.Markdown(split)}, {ComparisonLayout.CsvName(split)}, {ComparisonLayout.DiceChartName(split)}"));
        return 0;
    }, "skd compare: interrupted; run the same command again to resume (finished runs are kept)");

    private static void PrintTable(IReadOnlyList<MethodSummary> rows)
    {
        var table = new Table().AddColumns("method", "width", "seeds", "Dice %", "IoU %", "HD95", "params", "MACs", "ΔDice", "p (t)", "p (Wilcoxon)");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var r in rows)
        {
            var v = r.VersusBaseline;
            table.AddRow(Markup.Escape(r.Method), $"{r.Width}", $"{r.Seeds}", ComparisonReport.MeanStd(r.Metrics["dice"], 100), ComparisonReport.MeanStd(r.Metrics["iou"], 100), ComparisonReport.MeanStd(r.Metrics["hd95"], 1),
                Skd.Models.ModelProfile.Human(r.Parameters), Skd.Models.ModelProfile.Human(r.Macs),
                v is null ? "—" : (v.DiceDifference * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture),
                v is null ? "—" : ComparisonReport.P(v.TTest.PValue), v is null ? "—" : ComparisonReport.P(v.Wilcoxon.PValue));
        }
        AnsiConsole.Write(table);
    }


    /// <summary>A quiet progress bar per training run (on a terminal), and one line per finished run.</summary>
    private sealed class Observer(ProgressDisplay display, string split) : IComparisonObserver
    {
        private int index, total;

        public ITrainingObserver RunStarting(string label, int index, int total)
        {
            (this.index, this.total) = (index, total);
            AnsiConsole.MarkupLine(Markup.Escape($"[{index + 1}/{total}] {label}: training"));
            return new TrainProgress(display, quiet: true);
        }

        public void RunFinished(RunOutcome outcome, bool reused)
        {
            var dice = outcome.Test.Overall()["dice"].Mean;
            AnsiConsole.MarkupLine(Markup.Escape(
                $"{(reused ? "reused" : $"[{index + 1}/{total}]")} {outcome.Method} width {outcome.Width} seed {outcome.Seed}: {split} Dice {dice.ToString("F4", CultureInfo.InvariantCulture)}, " +
                $"trained {outcome.TrainSeconds:F0} s"));
        }

        public void Note(string message) => AnsiConsole.MarkupLine($"[yellow]note[/]: {Markup.Escape(message)}");
    }
}
