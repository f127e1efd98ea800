namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd eval --checkpoint FILE|--run RUN --data DIR [--split test] [--protocol NAME]
/// [--json OUT] [--csv OUT] [--save-predictions DIR [--save-probabilities]] [--engine torch|onnx] [--tta] [--keep-largest [CLASSES]]</c>: runs a model over a dataset split and
/// scores every case, per class: Dice, IoU, accuracy, sensitivity, specificity and HD95, with
/// means and standard deviations over the cases, by the dataset's <see cref="DatasetProtocol"/>
/// (as <c>skd compare</c> scores it) unless <c>--protocol</c> names another. Volumes are scored as
/// volumes (their slices predicted, then reassembled).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The dataset folder (any layout skd dataset reads).", Required = true };
        var split = new Option<string>("--split") { Description = "Which cases: train, val, test or all.", DefaultValueFactory = _ => "test" };
        var protocol = ChoiceOption.Optional("--protocol", [.. DatasetProtocol.All.Select(p => p.Name)],
            "How the dataset is scored (default: the dataset's own, as skd compare scores it). " +
            string.Join(" ", DatasetProtocol.All.Select(p => $"{p.Name}: {p.Summary}.")));
        var json = new Option<string?>("--json") { Description = "Write every case's metrics and the summaries as JSON to this file." };
        var csv = new Option<string?>("--csv") { Description = "Write one row per case and class as CSV to this file, and the summaries to NAME_summary.csv beside it." };
        var save = new Option<string?>("--save-predictions") { Description = "Write each case's predicted label map into this folder (PNG for images, NIfTI for volumes)." };
        var command = new Command("eval", "Evaluate a model on a dataset split: per-case and per-class Dice, IoU, Acc, Sen, Spe and HD95 with means and standard deviations.");
        var probabilities = InferenceOptionsCli.SaveProbabilities;
        Option[] options = [data, DatasetCommand.Layout, split, protocol, .. InferenceOptionsCli.All(withRun: true), .. MetricOptionsCli.All, json, csv, save, probabilities];
        foreach (var o in options) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            string model = ModelFile.Resolve(InferenceOptionsCli.ModelPath(parse));
            // The dataset's images are read as the model's training images were (grey or RGB).
            var dataset = SegmentationDataset.Open(parse.GetValue(data)!, DatasetLayouts.ParseIfGiven(parse.GetValue(DatasetCommand.Layout)), InferenceEngines.ReadInfo(model).ImageChannels);
            var chosen = parse.GetValue(protocol) is { } name ? DatasetProtocol.Parse(name) : DatasetProtocol.Of(dataset);
            bool detected = parse.GetValue(protocol) is null;
            var settings = Settings(parse, chosen, detected);
            var cases = dataset.Split(parse.GetValue(split)!);
            if (cases.Count == 0) throw new ArgumentException($"{dataset.Description.Root}: split '{parse.GetValue(split)}' has no cases");
            bool withProbabilities = parse.GetValue(probabilities);
            if (withProbabilities && parse.GetValue(save) is null)
                throw new ArgumentException("--save-probabilities writes beside the label maps of --save-predictions DIR; give that too");
            CheckOutputs(dataset, model, cases, parse.GetValue(save), withProbabilities, parse.GetValue(json), parse.GetValue(csv));
            using var predictor = Predictor.Load(model, settings.Inference, InferenceOptionsCli.EngineKind(parse));
            var table = CaseProgress.Run("evaluating cases", cases.Count, progress => SplitEvaluation.Run(dataset, cases, predictor, settings, parse.GetValue(save), progress, withProbabilities));
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(predictor.Source)}[/] on {cases.Count} {Markup.Escape(parse.GetValue(split)!)} cases of {Markup.Escape(dataset.Description.Root)}; " +
                                   $"protocol {chosen.Name}{(detected ? " (the dataset's)" : "")}: {Describe(settings)}");
            MetricsPrinter.Print(table);
            if (parse.GetValue(json) is { } jsonPath) MetricsFiles.WriteJson(jsonPath, table);
            if (parse.GetValue(csv) is { } csvPath) MetricsFiles.WriteCsv(csvPath, table);
            return 0;
        });
        return command;
    }

    /// <summary>Refuses, before anything is read or written, outputs that would land on the dataset, the model or each other.</summary>
    private static void CheckOutputs(SegmentationDataset dataset, string model, IReadOnlyList<CaseFiles> cases, string? saveTo, bool probabilities, string? json, string? csv)
    {
        var inputs = ProtectedInputs.OfDataset(dataset).AndFile(model);
        if (saveTo is not null) PredictionFiles.CheckTargets(inputs, saveTo, cases, overlays: false, probabilities);
        MetricsFiles.CheckTargets(inputs, json, csv);
    }

    /// <summary>
    /// The protocol's settings; where it does not fix them, the inference and metric options over
    /// them (their defaults are the protocol's). A protocol that fixes them refuses those options.
    /// </summary>
    private static EvaluationSettings Settings(ParseResult parse, DatasetProtocol protocol, bool detected)
    {
        var fixedSettings = protocol.Evaluation(parse.GetValue(InferenceOptionsCli.Batch));
        // Mirroring and post-processing change the prediction, not how it is scored: every protocol takes them.
        var settings = fixedSettings with { Inference = InferenceOptionsCli.WithPrediction(parse, fixedSettings.Inference) };
        Option[] scoring = [InferenceOptionsCli.Mode, InferenceOptionsCli.Overlap, .. MetricOptionsCli.All];
        var given = scoring.Where(o => parse.GetResult(o) is { Implicit: false }).ToList();
        if (given.Count == 0) return settings;
        if (protocol.FixesEvaluation)
            throw new ArgumentException($"{(detected ? $"the dataset's protocol, {protocol.Name}," : $"--protocol {protocol.Name}")} fixes inference and metrics; " +
                                        $"{given[0].Name} cannot be combined with it{(detected ? " (--protocol generic scores with your own options)" : "")}");
        var metrics = MetricOptionsCli.Metrics(parse);
        if (parse.GetResult(MetricOptionsCli.Empty) is not { Implicit: false }) metrics = metrics with { Policy = settings.Metrics.Policy };
        return new(InferenceOptionsCli.Options(parse), metrics, MetricOptionsCli.MetricSpacing(parse));
    }

    private static string Describe(EvaluationSettings s) =>
        $"{(s.Inference.Mode == InferenceMode.Resize ? "resize" : $"sliding window (overlap {s.Inference.Overlap})")}" +
        $"{(s.Inference.Mirror ? " with mirroring (TTA)" : "")}{s.Inference.KeepLargest switch { null => "", [] => ", largest component per class", var k => $", largest component of class {string.Join(", ", k)}" }}, " +
        $"empty masks: {(s.Metrics.Policy == EmptyMaskPolicy.TransUNet ? "TransUNet's rule" : "skipped when absent")}, " +
        $"HD95 ({s.Metrics.Hd95.ToString().ToLowerInvariant()}) in {(s.Spacing == MetricSpacing.Voxels ? "voxels" : "mm")}";
}
