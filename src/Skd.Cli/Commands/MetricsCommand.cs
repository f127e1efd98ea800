using System.CommandLine;
using Skd.Evaluation;
using Skd.Metrics;
using Skd.Torch;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd metrics --pred P --label L [--classes K] [--spacing [X Y [Z]]] [--json] [--csv OUT]</c>:
/// scores prediction files against label files (2-D images or NIfTI volumes; two files, or two
/// folders paired by file name or natural order) with the metrics of <c>skd eval</c>.
/// </summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var pred = new Option<string>("--pred") { Description = "A predicted label map, or a folder of them.", Required = true };
        var label = new Option<string>("--label") { Description = "The label map, or a folder of them (paired by file name, else by natural order).", Required = true };
        var classes = new Option<int?>("--classes") { Description = "K, background included (default: the largest value in any file + 1, at least 2)." };
        var json = new Option<bool>("--json") { Description = "Print every case's metrics and the summaries as JSON." };
        var csv = new Option<string?>("--csv") { Description = "Write one row per case and class as CSV to this file, and the summaries to NAME_summary.csv beside it." };
        var command = new Command("metrics", "Score predicted label maps against labels: Dice, IoU, Acc, Sen, Spe and HD95 per case and class, with means and standard deviations.");
        Option[] options = [pred, label, classes, .. MetricOptionsCli.All, json, csv];
        foreach (var o in options) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var pairs = LabelMapPairs.Match(parse.GetValue(pred)!, parse.GetValue(label)!);
            int k = parse.GetValue(classes) ?? ClassCount(pairs);
            if (k is < 2 or > SegmentationEvaluator.MaxClasses)
                throw new ArgumentException($"--classes must be 2 (background and one class) to {SegmentationEvaluator.MaxClasses}, got {k}");
            var metrics = MetricOptionsCli.Metrics(parse);
            var spacing = MetricOptionsCli.MetricSpacing(parse);
            var rows = new List<CaseMetrics>();
            foreach (var pair in pairs)
            {
                using var scope = new DisposeScope();
                using var p = LabelMapFile.Read(pair.Prediction);
                using var l = LabelMapFile.Read(pair.Label);
                if (!p.Map.Shape.SequenceEqual(l.Map.Shape))
                    throw new ArgumentException($"{pair.Prediction} [{string.Join(", ", p.Map.Shape)}] and {pair.Label} [{string.Join(", ", l.Map.Shape)}] differ in size");
                p.CheckClasses(k);
                l.CheckClasses(k);
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

    /// <summary>The largest class id in any of the files, plus one (at least 2).</summary>
    private static int ClassCount(IReadOnlyList<LabelMapPair> pairs)
    {
        long max = 1;
        foreach (var path in pairs.SelectMany(p => new[] { p.Prediction, p.Label }))
        {
            using var scope = new DisposeScope();
            using var file = LabelMapFile.Read(path);
            if (file.Map.NumElements > 0) max = Math.Max(max, file.Map.Max().Item<long>());
            if (max >= SegmentationEvaluator.MaxClasses)
                throw new ArgumentException($"{path}: class id {max} is beyond the {SegmentationEvaluator.MaxClasses} classes that can be scored");
        }
        return (int)max + 1;
    }
}
