using System.CommandLine;
using Skd.Data;
using Skd.Evaluation;
using Skd.Inference;
using Skd.Metrics;
using Skd.Torch;
using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd eval --checkpoint FILE|--run RUN --data DIR [--split test] [--protocol default|synapse]
/// [--json OUT] [--csv OUT] [--save-predictions DIR]</c>: runs a model over a dataset split and
/// scores every case, per class: Dice, IoU, accuracy, sensitivity, specificity and HD95, with
/// means and standard deviations over the cases. Volumes are scored as volumes (their slices
/// predicted, then reassembled).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The dataset folder (any layout skd dataset reads).", Required = true };
        var split = new Option<string>("--split") { Description = "Which cases: train, val, test or all.", DefaultValueFactory = _ => "test" };
        var protocol = new Option<string>("--protocol")
        {
            Description = "default: the options below. synapse: TransUNet's Synapse protocol (slices resized to the model's size and back, " +
                          "Dice and HD95 per organ per volume in voxel units, TransUNet's empty-mask rule).",
            DefaultValueFactory = _ => "default",
        };
        protocol.AcceptOnlyFromAmong("default", "synapse");
        var json = new Option<string?>("--json") { Description = "Write every case's metrics and the summaries as JSON to this file." };
        var csv = new Option<string?>("--csv") { Description = "Write one row per case and class as CSV to this file, and the summaries to NAME_summary.csv beside it." };
        var save = new Option<string?>("--save-predictions") { Description = "Write each case's predicted label map into this folder (PNG for images, NIfTI for volumes)." };
        var command = new Command("eval", "Evaluate a model on a dataset split: per-case and per-class Dice, IoU, Acc, Sen, Spe and HD95 with means and standard deviations.");
        Option[] options = [data, DatasetCommand.Layout, split, protocol, .. InferenceOptionsCli.All(withRun: true), .. MetricOptionsCli.All, json, csv, save];
        foreach (var o in options) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var settings = Settings(parse, parse.GetValue(protocol) == "synapse");
            using var predictor = Predictor.Load(InferenceOptionsCli.ModelPath(parse), settings.Inference);
            // The dataset's images are read as the model's training images were (grey or RGB).
            var dataset = SegmentationDataset.Open(parse.GetValue(data)!, parse.GetValue(DatasetCommand.Layout) is { } l ? DatasetLayouts.Parse(l) : null, predictor.Info.ImageChannels);
            var cases = dataset.Split(parse.GetValue(split)!);
            if (cases.Count == 0) throw new ArgumentException($"{dataset.Description.Root}: split '{parse.GetValue(split)}' has no cases");
            CheckOutputs(dataset, cases, parse.GetValue(save), parse.GetValue(json), parse.GetValue(csv));
            SplitEvaluation.CheckClasses(predictor, dataset);
            var rows = Evaluate(dataset, cases, predictor, settings, parse.GetValue(save));
            var table = new MetricsTable(rows, dataset.Description.ClassNames);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(predictor.Source)}[/] on {cases.Count} {Markup.Escape(parse.GetValue(split)!)} cases of {Markup.Escape(dataset.Description.Root)}; " +
                                   $"{Describe(settings)}");
            MetricsPrinter.Print(table);
            if (parse.GetValue(json) is { } jsonPath) MetricsFiles.WriteJson(jsonPath, table);
            if (parse.GetValue(csv) is { } csvPath) MetricsFiles.WriteCsv(csvPath, table);
            return 0;
        });
        return command;
    }

    /// <summary>Refuses, before anything is read or written, outputs that would land on the dataset or on each other.</summary>
    private static void CheckOutputs(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, string? saveTo, string? json, string? csv)
    {
        var inputs = ProtectedInputs.OfDataset(dataset);
        if (saveTo is not null)
        {
            inputs.CheckFolder(saveTo);
            PredictionFiles.CheckTargets(saveTo, cases, overlays: false);
        }
        foreach (var file in new[] { json, csv }.OfType<string>()) inputs.CheckFile(file);
    }

    private static EvaluationSettings Settings(ParseResult parse, bool synapse)
    {
        if (!synapse) return new(InferenceOptionsCli.Options(parse), MetricOptionsCli.Metrics(parse), MetricOptionsCli.MetricSpacing(parse));
        Option[] fixedBySynapse = [InferenceOptionsCli.Mode, InferenceOptionsCli.Overlap, .. MetricOptionsCli.All];
        if (fixedBySynapse.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } conflict)
            throw new ArgumentException($"--protocol synapse fixes inference and metrics; {conflict.Name} cannot be combined with it");
        return EvaluationSettings.Synapse(parse.GetValue(InferenceOptionsCli.Batch));
    }

    private static List<CaseMetrics> Evaluate(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, Predictor predictor, EvaluationSettings settings, string? saveTo)
    {
        var rows = new List<CaseMetrics>();
        CaseProgress.ForEach("evaluating cases", cases, c => rows.AddRange(SplitEvaluation.ScoreCase(dataset, c, predictor, settings, saveTo)));
        return rows;
    }

    private static string Describe(EvaluationSettings s) =>
        $"{(s.Inference.Mode == InferenceMode.Resize ? "resize" : $"sliding window (overlap {s.Inference.Overlap})")}, " +
        $"empty masks: {(s.Metrics.Policy == EmptyMaskPolicy.TransUNet ? "TransUNet's rule" : "skipped when absent")}, " +
        $"HD95 ({s.Metrics.Hd95.ToString().ToLowerInvariant()}) in {(s.Spacing == MetricSpacing.Voxels ? "voxels" : "mm")}";
}
