namespace Skd.Export;

/// <summary>
/// An int8 model against the float32 model it was quantised from, on a dataset split (the test split, for
/// <c>skd export --int8</c>): each model's mean Dice against the labels, scored as <c>skd eval</c> scores
/// (the split's <see cref="EvaluationSettings"/>), and the int8 label maps against the float32 ones: the
/// fraction of pixels that agree and the Dice of each foreground class over all the split's pixels, averaged.
/// </summary>
public sealed record Int8Comparison(int Cases, double Float32Dice, double Int8Dice, double DiceAgainstFloat32, double Agreement)
{
    /// <summary>Predicts every case with both models and scores them.</summary>
    public static Int8Comparison Run(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, Predictor float32, Predictor int8, EvaluationSettings settings)
    {
        SplitEvaluation.CheckClasses(float32, dataset);
        int classes = float32.Classes;
        List<CaseMetrics> float32Rows = [], int8Rows = [];
        var counts = new ConfusionCounts[classes];
        foreach (var c in cases)
        {
            using var scope = new DisposeScope();
            using var loaded = dataset.Load(c);
            var expected = float32.Predict(loaded);
            var actual = int8.Predict(loaded);
            float32Rows.AddRange(CaseScoring.Score(loaded, expected, classes, settings.Metrics, settings.Spacing));
            int8Rows.AddRange(CaseScoring.Score(loaded, actual, classes, settings.Metrics, settings.Spacing));
            var caseCounts = ConfusionCounts.Compute(actual, expected, classes);
            for (int k = 0; k < classes; k++) counts[k] += caseCounts[k];
        }
        double MeanDice(List<CaseMetrics> rows) => new MetricsTable(rows).Overall()["dice"].Mean;
        double agreement = (double)counts.Sum(k => k.TruePositives) / counts[0].Total;
        double againstFloat32 = MetricStats.Of(counts.Skip(1).Select(k => OverlapMetrics.Compute(k).Dice)).Mean;
        return new Int8Comparison(cases.Count, MeanDice(float32Rows), MeanDice(int8Rows), againstFloat32, agreement);
    }

    public override string ToString() =>
        FormattableString.Invariant($"{Cases} test case(s): mean Dice float32 {Float32Dice:F4}, int8 {Int8Dice:F4} ({Int8Dice - Float32Dice:+0.0000;-0.0000}); ") +
        (double.IsNaN(DiceAgainstFloat32) ? "int8 against float32: neither predicts a foreground class, " : FormattableString.Invariant($"int8 against float32: Dice {DiceAgainstFloat32:F4}, ")) +
        FormattableString.Invariant($"{Agreement:P2} of the pixels agree");
}
