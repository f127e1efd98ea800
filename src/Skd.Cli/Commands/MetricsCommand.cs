namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd metrics --pred P --label L [--classes K] [--spacing [X Y [Z]]] [--json] [--csv OUT]</c>:
/// scores prediction files against label files (2-D images or NIfTI volumes; two files, or two
/// folders paired by file name or natural order) with the metrics of <c>skd eval</c>. Images are read as
/// the dataset reader reads masks (<see cref="LabelMapFile"/>: 0/255 binary masks as 0/1; labels with a
/// palette.json in their folder or beside it by that palette, as colour- or grey-coded masks), so that
/// <c>skd predict</c>'s output scores against a dataset's masks; pairs that cannot hold the same classes
/// are refused (<see cref="LabelMapFile.CheckPair"/>).
/// </summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "A predicted label map, or a folder of them.", Required = true };
        var label = new Option<string>("--label") { Description = "The label map, or a folder of them (paired by file name, else by natural order); colour- or grey-coded masks are read by the palette.json in their folder or beside it (DATA/palette.json for DATA/masks).", Required = true };
        var classes = new Option<int?>("--classes") { Description = "K, background included (default: the largest class id in the label files + 1, at least 2; binary masks stored 0/255 count as 0/1)." };
        var json = new Option<bool>("--json") { Description = "Print every case's metrics and the summaries as JSON." };
        var csv = new Option<string?>("--csv") { Description = "Write one row per case and class as CSV to this file, and the summaries to NAME_summary.csv beside it." };
        var command = new Command("metrics", "Score predicted label maps against labels: Dice, IoU, Acc, Sen, Spe and HD95 per case and class, with means and standard deviations.");
        Option[] options = [pred, label, classes, .. MetricOptionsCli.All, json, csv];
        foreach (var o in options) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var pairs = LabelMapPairs.Match(parse.GetValue(pred)!, parse.GetValue(label)!);
            MetricsFiles.CheckTargets(ProtectedInputs.OfFiles(pairs.SelectMany(p => new[] { p.Prediction, p.Label })), json: null, parse.GetValue(csv));
            var labelMasks = LabelMapFile.DatasetMasks(parse.GetValue(label)!);
            int? given = parse.GetValue(classes);
            int k = given ?? ClassCount(pairs, labelMasks);
            if (k is < 2 or > SegmentationEvaluator.MaxClasses)
                throw new ArgumentException($"--classes must be 2 (background and one class) to {SegmentationEvaluator.MaxClasses}, got {k}");
            var metrics = MetricOptionsCli.Metrics(parse);
            var spacing = MetricOptionsCli.MetricSpacing(parse);
            var rows = new List<CaseMetrics>();
            foreach (var pair in pairs)
            {
                using var scope = new DisposeScope();
                using var p = LabelMapFile.Read(pair.Prediction);
                using var l = LabelMapFile.Read(pair.Label, labelMasks);
                if (!p.Map.Shape.SequenceEqual(l.Map.Shape))
                    throw new ArgumentException($"{pair.Prediction} [{string.Join(", ", p.Map.Shape)}] and {pair.Label} [{string.Join(", ", l.Map.Shape)}] differ in size");
                LabelMapFile.CheckPair(p, l, k, inferred: given is null);
                var scoring = metrics with { Spacing = spacing.ForLabelMap((int)l.Map.Dim, l.Spacing, pair.Id) };
                rows.AddRange(SegmentationEvaluator.Evaluate(pair.Id, p.Map, l.Map, k, scoring));
            }
            var table = new MetricsTable(rows);
            if (parse.GetValue(csv) is { } csvPath) MetricsFiles.WriteCsv(csvPath, table);
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                MetricsExport.WriteJson(table, stdout);
            }
            else MetricsPrinter.Print(table);
            return 0;
        });
        return command;
    }

    /// <summary>The largest class id in any of the label files, plus one (at least 2): the labels define the classes.</summary>
    private static int ClassCount(IReadOnlyList<LabelMapPair> pairs, MaskEncoding? labelMasks)
    {
        long max = 1;
        foreach (var pair in pairs)
        {
            using var scope = new DisposeScope();
            using var file = LabelMapFile.Read(pair.Label, labelMasks);
            max = Math.Max(max, file.MaxClass());
            if (max >= SegmentationEvaluator.MaxClasses)
                throw new ArgumentException($"{pair.Label}: class id {max} is beyond the {SegmentationEvaluator.MaxClasses} classes that can be scored");
        }
        return (int)max + 1;
    }
}
