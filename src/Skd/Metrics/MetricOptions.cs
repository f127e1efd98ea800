namespace Skd.Metrics;

/// <summary>How <see cref="SegmentationEvaluator"/> scores a case.</summary>
/// <param name="Policy">What empty classes score.</param>
/// <param name="Spacing">Voxel spacing per axis of the label map for HD95 (null: voxel units, as TransUNet).</param>
/// <param name="Hd95">medpy's pooled HD95 or MONAI's.</param>
/// <param name="IncludeBackground">Score class 0 too.</param>
public sealed record MetricOptions(
    EmptyMaskPolicy Policy = EmptyMaskPolicy.SkipAbsent,
    double[]? Spacing = null,
    Hd95Variant Hd95 = Hd95Variant.Medpy,
    bool IncludeBackground = false);
