namespace Skd.Metrics;

/// <summary>
/// The metrics of one class of one case (an image or a volume); NaN where the
/// <see cref="EmptyMaskPolicy"/> skips a value.
/// </summary>
public sealed record CaseMetrics(string CaseId, int Class, double Dice, double IoU, double Accuracy, double Sensitivity, double Specificity, double Hd95)
{
    /// <summary>The metric columns, named as the CSV and JSON exports name them.</summary>
    public static readonly IReadOnlyList<(string Name, Func<CaseMetrics, double> Value)> Columns =
    [
        ("dice", m => m.Dice), ("iou", m => m.IoU), ("acc", m => m.Accuracy),
        ("sen", m => m.Sensitivity), ("spe", m => m.Specificity), ("hd95", m => m.Hd95),
    ];

    /// <summary>The row of a class's overlap metrics and HD95.</summary>
    public static CaseMetrics Of(string caseId, int cls, OverlapMetrics overlap, double hd95) =>
        new(caseId, cls, overlap.Dice, overlap.IoU, overlap.Accuracy, overlap.Sensitivity, overlap.Specificity, hd95);
}
