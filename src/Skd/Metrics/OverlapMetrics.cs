namespace Skd.Metrics;

/// <summary>
/// The overlap metrics of one class from its confusion counts (methods.md §4):
/// <code>
/// Dice = 2TP / (2TP + FP + FN)      IoU = TP / (TP + FP + FN)      Acc = (TP + TN) / N
/// Sen  = TP / (TP + FN)             Spe = TN / (TN + FP)
/// </code>
/// A 0/0 is NaN; the <see cref="EmptyMaskPolicy"/> decides the empty cases (medpy's dc for Dice,
/// TransUNet's calculate_metric_percase under <see cref="EmptyMaskPolicy.TransUNet"/>).
/// </summary>
public readonly record struct OverlapMetrics(double Dice, double IoU, double Accuracy, double Sensitivity, double Specificity)
{
    public static OverlapMetrics Compute(ConfusionCounts c, EmptyMaskPolicy policy = EmptyMaskPolicy.SkipAbsent)
    {
        bool predicted = c.Predicted > 0, actual = c.Actual > 0;
        double dice = policy == EmptyMaskPolicy.TransUNet && !(predicted && actual)
            ? (predicted ? 1 : 0)
            : Ratio(2 * c.TruePositives, 2 * c.TruePositives + c.FalsePositives + c.FalseNegatives);
        if (!predicted && !actual)
            return new(policy == EmptyMaskPolicy.TransUNet ? dice : double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        return new(
            dice,
            Ratio(c.TruePositives, c.TruePositives + c.FalsePositives + c.FalseNegatives),
            Ratio(c.TruePositives + c.TrueNegatives, c.Total),
            Ratio(c.TruePositives, c.TruePositives + c.FalseNegatives),
            Ratio(c.TrueNegatives, c.TrueNegatives + c.FalsePositives));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}
