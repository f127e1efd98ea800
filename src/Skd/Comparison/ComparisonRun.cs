namespace Skd.Comparison;

/// <summary>
/// <c>skd compare</c> as a library call: trains the full-width U-Net once when an offline method needs
/// it as a teacher (or, with <see cref="CompareConfig.Reference"/>, as the upper reference), trains every method for
/// every seed, evaluates each run's best model on the scored split (test, or val for a tuning pass) by the
/// dataset's protocol (<see cref="DatasetProtocol.Evaluation"/>, as <c>skd eval</c> does), and writes <c>results.md</c>,
/// <c>results.csv</c> and <c>dice.png</c> (Dice per method, mean ± std over seeds).
/// <para>
/// Output folder: <see cref="ComparisonLayout"/> (the settings, a run folder per run with its metrics on the
/// scored split, <c>test.json</c> or <c>val.json</c>, written last, and the results). Run again with the same settings,
/// it resumes: runs with those metrics are reused, interrupted runs continue from
/// their last checkpoint, the rest start.
/// </para>
/// </summary>
public static class ComparisonRun
{
    /// <summary>
    /// Runs (or resumes) the comparison in <paramref name="outDir"/> and scores every run on
    /// <paramref name="split"/>: <c>test</c>, or <c>val</c> for choosing hyperparameters without
    /// seeing the test cases. The split changes no training: the same folder scored on val, then on
    /// test, trains once, and keeps both (<c>val.json</c> / <c>results-val.md</c> beside <c>test.json</c> / <c>results.md</c>).
    /// </summary>
    public static IReadOnlyList<MethodSummary> Run(CompareConfig config, string outDir, IComparisonObserver? observer = null, CancellationToken cancel = default,
                                                   string split = ComparisonLayout.TestSplit)
    {
        if (!ComparisonLayout.Splits.Contains(split)) throw new OptionException(o => $"{o("score_split")} must be {string.Join(" or ", ComparisonLayout.Splits)}, got '{split}'");
        observer ??= new SilentObserver();
        config = config.Validate() with { Data = Path.GetFullPath(config.Data) };
        outDir = Path.GetFullPath(outDir);
        var layout = new ComparisonLayout(outDir);
        var dataset = SegmentationDataset.Open(config.Data, DatasetLayouts.ParseIfGiven(config.Layout),
            config.Channels is { } c ? ImageInput.Parse(c) : null);
        var scoredCases = dataset.Split(split);
        if (scoredCases.Count == 0) throw new ArgumentException($"{config.Data}: the dataset has no {split} cases to compare the methods on");
        ProtectedInputs.OfDataset(dataset).CheckFolder(outDir);
        CheckHoldsNoOtherFiles(outDir);
        using var folderLock = FolderLock.Acquire(outDir);
        RunFolder.RemoveTemporaries(outDir);
        Remember(config, outDir);

        var plan = Plan(config).ToList();
        var outcomes = new List<(RunOutcome Outcome, bool FullWidth)>();
        var profiles = new NetworkProfiles();   // every seed of a width has the same network: built and walked once
        for (int i = 0; i < plan.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var run = plan[i];
            var runDir = layout.Run(run.Label).Folder;
            var scoredPath = layout.Metrics(run.Label, split);
            // A run scored on any split has finished training (the metrics are written last): scoring it on another only evaluates.
            bool reused = ComparisonLayout.Splits.Any(s => File.Exists(layout.Metrics(run.Label, s)));
            if (!File.Exists(scoredPath))
            {
                if (!reused)
                {
                    var trainingObserver = observer.RunStarting(run.Label, i, plan.Count);
                    if (File.Exists(layout.Run(run.Label).Last)) TrainingRun.Resume(runDir, trainingObserver, cancel);
                    else TrainingRun.Start(TrainConfigOf(config, run, layout), runDir, trainingObserver, cancel);   // a start that saved nothing starts over
                }
                observer.Evaluating(run.Label);
                using var predictor = Predictor.Load(runDir);
                var table = SplitEvaluation.Run(dataset, scoredCases, predictor, DatasetProtocol.Of(dataset).Evaluation());
                AtomicFile.Write(scoredPath, stream => MetricsExport.WriteJson(table, stream));
            }
            var outcome = Outcome(run, config.NeedsTeacher ? " (teacher)" : " (reference)", layout, scoredPath, dataset, profiles);
            observer.RunFinished(outcome, reused);
            outcomes.Add((outcome, run.IsTeacher));
        }

        var rows = ComparisonSummary.Summarise(outcomes.Where(o => !o.FullWidth).Select(o => o.Outcome).ToList())
            .Concat(ComparisonSummary.Summarise(outcomes.Where(o => o.FullWidth).Select(o => o.Outcome).ToList())).ToList();
        ComparisonReport.Write(layout, rows, $"Comparison on {Path.GetFileName(config.Data.TrimEnd(Path.DirectorySeparatorChar))}: " +
                                             $"width {config.Width}, {config.Seeds} seed(s), {scoredCases.Count} {split} case(s)", split);
        DrawDice(rows, split, layout.DiceChart(split));
        return rows;
    }

    /// <summary>One training run of the plan: the full-width U-Net first (when a method needs it as a teacher, or as the reference), then every method for every seed.</summary>
    private sealed record PlannedRun(string Label, string Method, int Width, int Seed, bool IsTeacher);

    private static IEnumerable<PlannedRun> Plan(CompareConfig config)
    {
        if (config.TrainsFullWidth) yield return new PlannedRun(ComparisonLayout.TeacherLabel(config.TeacherWidth), CompareConfig.Baseline, config.TeacherWidth, 0, IsTeacher: true);
        foreach (var method in config.Methods)
            for (int seed = 0; seed < config.Seeds; seed++)
                yield return new PlannedRun(ComparisonLayout.StudentLabel(method, config.Width, seed), method, config.Width, seed, IsTeacher: false);
    }

    private static TrainConfig TrainConfigOf(CompareConfig config, PlannedRun run, ComparisonLayout layout) => (config.Training with
    {
        Data = config.Data,
        Layout = config.Layout,
        Channels = config.Channels is { } channels ? ImageInput.Parse(channels) : null,
        Method = run.Method,
        Width = run.Width,
        Seed = run.Seed,
        MethodOptions = !run.IsTeacher && config.MethodOptions.TryGetValue(run.Method, out var options) ? options : null,
        Teacher = !run.IsTeacher && Distillation.Methods.Find(run.Method).NeedsTeacher ? layout.Run(ComparisonLayout.TeacherLabel(config.TeacherWidth)).Folder : null,
    }).Resolve();

    /// <summary>The run's scores; the full-width run is labelled by its role (<paramref name="fullWidthSuffix"/>).</summary>
    private static RunOutcome Outcome(PlannedRun run, string fullWidthSuffix, ComparisonLayout layout, string metricsPath, SegmentationDataset dataset, NetworkProfiles profiles)
    {
        var runFolder = layout.Run(run.Label);
        var trained = TrainConfig.Load(runFolder.Config);
        var profile = profiles.Of(new UNetConfig(dataset.InputChannels.Count, dataset.ClassCount, trained.Width, trained.Depth), trained.Size);
        double seconds = RunFolder.ReadLog(runFolder.Log).Sum(r => r.Seconds);
        var table = MetricsExport.ReadJson(metricsPath);
        return new RunOutcome(run.IsTeacher ? run.Method + fullWidthSuffix : run.Method, run.Width, run.Seed, profile.Parameters, profile.Macs, seconds, table);
    }

    /// <summary>
    /// Keeps the settings in the folder's compare.json, written only once the dataset has been read. A folder
    /// holding other settings is refused rather than mixed, unless none of its runs saved a
    /// checkpoint (a comparison stopped by a bad option before training anything): the corrected
    /// command replaces it. A folder holding files but no comparison, or a compare.json that is not a
    /// comparison's settings, is refused, as train refuses one.
    /// </summary>
    private static void Remember(CompareConfig config, string outDir)
    {
        var layout = new ComparisonLayout(outDir);
        var path = layout.Config;
        var json = config.ToJson();
        string runs = layout.Runs;
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path);
            if (existing == json) return;
            if (RunFolder.NotReadable(() => CompareConfig.Parse(path, existing).Validate()) is { } why)
                throw RunFolder.Refused(o => $"{outDir} holds a {ComparisonLayout.ConfigName} that is not a comparison's settings ({why}); choose an empty or new {o("out_dir")}");
            if (CompareConfig.Parse(path, existing).Validate().ToJson() == json) return;   // the same settings, written in another order
            if (Directory.Exists(runs) && Directory.EnumerateFiles(runs, RunLayout.LastName, SearchOption.AllDirectories).Any())
                throw new OptionException(o => $"{outDir} holds a comparison with other settings ({path}); rerun with the same options to resume it, or choose another {o("out_dir")}");
            if (Directory.Exists(runs)) Directory.Delete(runs, recursive: true);
        }
        else CheckHoldsNoOtherFiles(outDir);
        AtomicFile.WriteText(path, json);
    }

    /// <summary>Refuses an output folder that holds files but no comparison (no compare.json), as train refuses a folder that holds no run.</summary>
    private static void CheckHoldsNoOtherFiles(string outDir)
    {
        if (File.Exists(outDir)) throw new IOException($"{outDir} is a file, not a comparison folder");
        if (!Directory.Exists(outDir) || File.Exists(new ComparisonLayout(outDir).Config)) return;
        if (RunFolder.Contents(outDir) is { Count: > 0 } other)
            throw RunFolder.Refused(o => $"{outDir} is not empty and holds no comparison (no {ComparisonLayout.ConfigName}; it holds {other[0]}); choose an empty or new {o("out_dir")}");
    }

    private static void DrawDice(IReadOnlyList<MethodSummary> rows, string split, string path)
    {
        var labels = rows.Select(r => $"{r.Method} w{r.Width}").ToList();
        var dice = new BarSeries("Dice (%)", rows.Select(r => r.Metrics["dice"].Mean * 100).ToList(), rows.Select(r => r.Metrics["dice"].Std * 100).ToList());
        Charts.Bars($"{(split == "val" ? "Validation" : "Test")} Dice per method (mean ± std over seeds)", "Dice (%)", labels, [dice]).Save(path);
    }

    private sealed class SilentObserver : IComparisonObserver;

    /// <summary>The profile of each network configuration at a size, walked once (the walk builds the network).</summary>
    private sealed class NetworkProfiles
    {
        private readonly Dictionary<(UNetConfig, int), ModelProfile> known = [];

        public ModelProfile Of(UNetConfig config, int size)
        {
            if (known.TryGetValue((config, size), out var profile)) return profile;
            using var network = new UNet(config);
            return known[(config, size)] = network.Profile(size);
        }
    }
}
