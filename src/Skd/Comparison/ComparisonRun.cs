using System.Text.Json.Nodes;
using Skd.Data;
using Skd.Evaluation;
using Skd.Inference;
using Skd.Metrics;
using Skd.Models;
using Skd.Reporting;
using Skd.Torch;
using Skd.Training;

namespace Skd.Comparison;

/// <summary>
/// <c>skd compare</c> as a library call: trains the full-width U-Net once when an offline method needs
/// it as a teacher (or, with <see cref="CompareConfig.Reference"/>, as the upper reference), trains every method for
/// every seed, evaluates each run's best model on the scored split (test, or val for a tuning pass) by the
/// dataset's protocol (<see cref="DatasetProtocol.Evaluation"/>, as <c>skd eval</c> does), and writes <c>results.md</c>,
/// <c>results.csv</c> and <c>dice.png</c> (Dice per method, mean ± std over seeds).
/// <para>
/// Output folder: <c>compare.json</c> (the settings), <c>runs/LABEL/</c> (one <c>skd train</c> run
/// folder per run, plus <c>test.json</c> or <c>val.json</c>, its metrics on the scored split, written last). Run again with the same
/// settings, it resumes: runs with those metrics are reused, interrupted runs continue from
/// their last checkpoint, the rest start.
/// </para>
/// </summary>
public static class ComparisonRun
{
    public const string ConfigFile = "compare.json", DiceChart = "dice.png";

    /// <summary>The splits a comparison can score its runs on.</summary>
    public static readonly IReadOnlyList<string> Splits = ["test", "val"];

    /// <summary>The run's metrics on the split it is scored on: <c>test.json</c> or <c>val.json</c>.</summary>
    public static string MetricsFile(string split) => split + ".json";

    /// <summary>What the report files of a split carry in their names: nothing for test (results.md), <c>-val</c> for val (results-val.md).</summary>
    public static string ReportSuffix(string split) => split == "test" ? "" : "-" + split;

    /// <summary>
    /// Runs (or resumes) the comparison in <paramref name="outDir"/> and scores every run on
    /// <paramref name="split"/>: <c>test</c>, or <c>val</c> for choosing hyperparameters without
    /// seeing the test cases. The split changes no training: the same folder scored on val, then on
    /// test, trains once, and keeps both (<c>val.json</c> / <c>results-val.md</c> beside <c>test.json</c> / <c>results.md</c>).
    /// </summary>
    public static IReadOnlyList<MethodSummary> Run(CompareConfig config, string outDir, IComparisonObserver? observer = null, CancellationToken cancel = default,
                                                   string split = "test")
    {
        if (!Splits.Contains(split)) throw new ArgumentException($"--score-split must be test or val, got '{split}'");
        observer ??= new SilentObserver();
        config = config.Validate() with { Data = Path.GetFullPath(config.Data) };
        outDir = Path.GetFullPath(outDir);
        var dataset = SegmentationDataset.Open(config.Data, config.Layout is { } l ? DatasetLayouts.Parse(l) : null,
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
        for (int i = 0; i < plan.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var run = plan[i];
            var runDir = Path.Combine(outDir, "runs", run.Label);
            var scoredPath = Path.Combine(runDir, MetricsFile(split));
            // A run scored on any split has finished training (the metrics are written last): scoring it on another only evaluates.
            bool reused = Splits.Any(s => File.Exists(Path.Combine(runDir, MetricsFile(s))));
            if (!File.Exists(scoredPath))
            {
                if (!reused)
                {
                    var trainingObserver = observer.RunStarting(run.Label, i, plan.Count);
                    if (File.Exists(Path.Combine(runDir, RunFolder.Last))) TrainingRun.Resume(runDir, trainingObserver, cancel);
                    else TrainingRun.Start(TrainConfigOf(config, run, outDir), runDir, trainingObserver, cancel);   // a start that saved nothing starts over
                }
                observer.Evaluating(run.Label);
                using var predictor = Predictor.Load(runDir);
                var table = SplitEvaluation.Run(dataset, scoredCases, predictor, DatasetProtocol.Of(dataset).Evaluation());
                AtomicFile.Write(scoredPath, stream => MetricsExport.WriteJson(table, stream));
            }
            var outcome = Outcome(run, config.NeedsTeacher ? " (teacher)" : " (reference)", runDir, scoredPath, dataset);
            observer.RunFinished(outcome, reused);
            outcomes.Add((outcome, run.IsTeacher));
        }

        var rows = ComparisonSummary.Summarise(outcomes.Where(o => !o.FullWidth).Select(o => o.Outcome).ToList())
            .Concat(ComparisonSummary.Summarise(outcomes.Where(o => o.FullWidth).Select(o => o.Outcome).ToList())).ToList();
        ComparisonReport.Write(outDir, rows, $"Comparison on {Path.GetFileName(config.Data.TrimEnd(Path.DirectorySeparatorChar))}: " +
                                             $"width {config.Width}, {config.Seeds} seed(s), {scoredCases.Count} {split} case(s)", split);
        DrawDice(rows, split, Path.Combine(outDir, Path.GetFileNameWithoutExtension(DiceChart) + ReportSuffix(split) + ".png"));
        return rows;
    }

    /// <summary>One training run of the plan: the full-width U-Net first (when a method needs it as a teacher, or as the reference), then every method for every seed.</summary>
    private sealed record PlannedRun(string Label, string Method, int Width, int Seed, bool IsTeacher);

    private static IEnumerable<PlannedRun> Plan(CompareConfig config)
    {
        if (config.TrainsFullWidth) yield return new PlannedRun($"teacher-w{config.TeacherWidth}", CompareConfig.Baseline, config.TeacherWidth, 0, IsTeacher: true);
        foreach (var method in config.Methods)
            for (int seed = 0; seed < config.Seeds; seed++)
                yield return new PlannedRun($"{method}-w{config.Width}-s{seed}", method, config.Width, seed, IsTeacher: false);
    }

    private static TrainConfig TrainConfigOf(CompareConfig config, PlannedRun run, string outDir)
    {
        var given = (JsonObject)config.Training.DeepClone();
        given["data"] = config.Data;
        if (config.Layout is not null) given["layout"] = config.Layout;
        if (config.Channels is not null) given["channels"] = config.Channels;
        given["method"] = run.Method;
        given["width"] = run.Width;
        given["seed"] = run.Seed;
        if (!run.IsTeacher && config.MethodOptions.TryGetValue(run.Method, out var options))
            given["method_options"] = new JsonObject(options.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));
        if (!run.IsTeacher && Distillation.Methods.Find(run.Method).NeedsTeacher)
            given["teacher"] = Path.Combine(outDir, "runs", $"teacher-w{config.TeacherWidth}");
        return TrainConfig.Resolve(given);
    }

    /// <summary>The run's scores; the full-width run is labelled by its role (<paramref name="fullWidthSuffix"/>).</summary>
    private static RunOutcome Outcome(PlannedRun run, string fullWidthSuffix, string runDir, string metricsPath, SegmentationDataset dataset)
    {
        var trained = TrainConfig.Load(Path.Combine(runDir, RunFolder.Config));
        var profile = new UNetConfig(dataset.InputChannels.Count, dataset.ClassCount, trained.Width, trained.Depth).Profile(trained.Size);
        double seconds = RunFolder.ReadLog(Path.Combine(runDir, RunFolder.Log)).Sum(r => r.Seconds);
        var table = MetricsExport.ReadJson(metricsPath);
        return new RunOutcome(run.IsTeacher ? run.Method + fullWidthSuffix : run.Method, run.Width, run.Seed, profile.Parameters, profile.Macs, seconds, table);
    }

    /// <summary>
    /// Keeps the settings in compare.json, written only once the dataset has been read. A folder
    /// holding other settings is refused rather than mixed, unless none of its runs saved a
    /// checkpoint (a comparison stopped by a bad option before training anything): the corrected
    /// command replaces it. A folder holding files but no comparison, or a compare.json that is not a
    /// comparison's settings, is refused, as train refuses one.
    /// </summary>
    private static void Remember(CompareConfig config, string outDir)
    {
        var path = Path.Combine(outDir, ConfigFile);
        var json = config.ToJson();
        string runs = Path.Combine(outDir, "runs");
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path);
            if (existing == json) return;
            if (RunFolder.NotReadable(() => CompareConfig.Parse(path, existing).Validate()) is { } why)
                throw new IOException($"{outDir} holds a {ConfigFile} that is not a comparison's settings ({why}); choose an empty or new --out");
            if (Directory.Exists(runs) && Directory.EnumerateFiles(runs, RunFolder.Last, SearchOption.AllDirectories).Any())
                throw new ArgumentException($"{outDir} holds a comparison with other settings ({path}); rerun with the same options to resume it, or choose another --out");
            if (Directory.Exists(runs)) Directory.Delete(runs, recursive: true);
        }
        else CheckHoldsNoOtherFiles(outDir);
        AtomicFile.WriteText(path, json);
    }

    /// <summary>Refuses an output folder that holds files but no comparison (no compare.json), as train refuses a folder that holds no run.</summary>
    private static void CheckHoldsNoOtherFiles(string outDir)
    {
        if (File.Exists(outDir)) throw new IOException($"{outDir} is a file, not a comparison folder");
        if (!Directory.Exists(outDir) || File.Exists(Path.Combine(outDir, ConfigFile))) return;
        if (RunFolder.Contents(outDir) is { Count: > 0 } other)
            throw new IOException($"{outDir} is not empty and holds no comparison (no {ConfigFile}; it holds {other[0]}); choose an empty or new --out");
    }

    private static void DrawDice(IReadOnlyList<MethodSummary> rows, string split, string path)
    {
        var labels = rows.Select(r => $"{r.Method} w{r.Width}").ToList();
        var dice = new BarSeries("Dice (%)", rows.Select(r => r.Metrics["dice"].Mean * 100).ToList(), rows.Select(r => r.Metrics["dice"].Std * 100).ToList());
        Charts.Bars($"{(split == "val" ? "Validation" : "Test")} Dice per method (mean ± std over seeds)", "Dice (%)", labels, [dice]).Save(path);
    }

    private sealed class SilentObserver : IComparisonObserver;
}
