namespace Skd.Evaluation;

/// <summary>
/// Scores a case's predicted label map against its label with <see cref="SegmentationEvaluator"/>:
/// a 2-D case as an H×W image, a volume as one D×H×W volume (its slices reassembled), HD95 in the
/// units <see cref="MetricSpacing"/> chooses.
/// </summary>
public static class CaseScoring
{
    /// <param name="c">The case, with its label.</param>
    /// <param name="prediction">int64 (D, H, W), the case's size (as <see cref="Inference.Predictor.Predict(LoadedCase)"/> returns).</param>
    /// <param name="classes">K, background included.</param>
    /// <param name="metrics">Empty-mask policy, HD95 variant, background (its spacing is replaced).</param>
    /// <param name="spacing">HD95's units.</param>
    public static IReadOnlyList<CaseMetrics> Score(LoadedCase c, Tensor prediction, int classes, MetricOptions metrics, MetricSpacing spacing)
    {
        var label = c.Label ?? throw new DataFormatException($"{c.Files.Images[0]}: case '{c.Files.Id}' has no label to evaluate against");
        using var scope = new DisposeScope();
        var (p, l) = c.IsVolume ? (prediction, label) : (prediction.Squeeze(0), label.Squeeze(0));
        var options = metrics with { Spacing = spacing.ForLabelMap((int)p.Dim, c.Spacing, c.Files.Id) };
        return SegmentationEvaluator.Evaluate(c.Files.Id, p, l, classes, options);
    }
}
