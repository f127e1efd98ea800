namespace Skd.Metrics;

/// <summary>
/// Scores one case: per class k, the overlap metrics from the confusion counts and HD95 of the
/// masks pred = k and label = k (cut to their bounding box, which changes no distance), with the
/// empty cases of the <see cref="EmptyMaskPolicy"/>: under SkipAbsent HD95 is NaN unless both
/// masks are non-empty; under TransUNet it is (as calculate_metric_percase) 0 unless both are.
/// Binary tasks (2 classes) score class 1; class 0 only on request.
/// </summary>
public static class SegmentationEvaluator
{
    /// <summary>The most classes a case is scored in (every class is a row of every case; the largest label sets have a few hundred).</summary>
    public const int MaxClasses = 1024;

    /// <param name="caseId">Names the case in the rows.</param>
    /// <param name="prediction">Integer class ids, H×W or D×H×W.</param>
    /// <param name="label">Integer class ids of the same shape.</param>
    /// <param name="numClasses">K, background included.</param>
    /// <param name="options">Policy, spacing, HD95 variant, background; the defaults if null.</param>
    public static IReadOnlyList<CaseMetrics> Evaluate(string caseId, Tensor prediction, Tensor label, int numClasses, MetricOptions? options = null)
    {
        options ??= new MetricOptions();
        if (numClasses is < 1 or > MaxClasses) throw new ArgumentException($"the number of classes must be 1 to {MaxClasses}, got {numClasses}");
        LabelMaps.Validate(prediction, label);
        using var p = LabelMaps.ToCpuInt64(prediction);
        using var l = LabelMaps.ToCpuInt64(label);
        int[] shape = prediction.Shape.Select(s => checked((int)s)).ToArray();
        var counts = ConfusionCounts.Compute(p.AsSpan<long>(), l.AsSpan<long>(), numClasses);
        var boxes = MaskBox.PerClass(p.AsSpan<long>(), l.AsSpan<long>(), shape, numClasses);
        var rows = new List<CaseMetrics>();
        for (int k = options.IncludeBackground ? 0 : 1; k < numClasses; k++)
        {
            var o = OverlapMetrics.Compute(counts[k], options.Policy);
            double hd95;
            if (counts[k].Predicted == 0 || counts[k].Actual == 0)
                hd95 = options.Policy == EmptyMaskPolicy.TransUNet ? 0 : double.NaN;
            else
            {
                var box = boxes[k]!;
                var predMask = Mask(box.Crop(p.AsSpan<long>(), shape), k);
                var labelMask = Mask(box.Crop(l.AsSpan<long>(), shape), k);
                hd95 = HausdorffDistance95.Compute(predMask, labelMask, box.Size, options.Spacing, options.Hd95);
            }
            rows.Add(CaseMetrics.Of(caseId, k, o, hd95));
        }
        return rows;
    }

    private static bool[] Mask(long[] map, long k) => Array.ConvertAll(map, v => v == k);
}
