namespace Skd.Tests.Metrics;

public class SegmentationEvaluatorTests
{
    // A 1×4×4 volume with 4 classes: class 1 matches, class 2 only predicted, class 3 only in the label.
    private static (Tensor Pred, Tensor Label) Case() => (
        Tensor.From(new long[] { 1, 1, 0, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1, 4, 4),
        Tensor.From(new long[] { 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0 }, 1, 4, 4));

    [Fact]
    public void SkipAbsentScoresByFormulaAndNaNsTheUndefined()
    {
        using var scope = new DisposeScope();
        var (pred, label) = Case();
        var rows = SegmentationEvaluator.Evaluate("c1", pred, label, 5);
        Assert.Equal(new[] { 1, 2, 3, 4 }, rows.Select(r => r.Class));
        var one = rows[0];                                  // TP 3, FP 1, FN 0, TN 12
        Assert.Equal(6.0 / 7, one.Dice, 12);
        Assert.Equal(0.75, one.IoU, 12);
        Assert.Equal(15.0 / 16, one.Accuracy, 12);
        Assert.Equal(1, one.Sensitivity);
        Assert.Equal(12.0 / 13, one.Specificity, 12);
        Assert.Equal(HausdorffDistance95.Compute(pred.Eq(1), label.Eq(1)), one.Hd95);
        Assert.Equal(0, rows[1].Dice);
        Assert.True(double.IsNaN(rows[1].Hd95));
        Assert.Equal(0, rows[2].Dice);
        Assert.True(double.IsNaN(rows[2].Hd95));
        Assert.True(double.IsNaN(rows[3].Dice));            // absent from both: skipped
    }

    [Fact]
    public void TransUNetProtocolScoresEmptyOrgansAsCalculateMetricPercase()
    {
        using var scope = new DisposeScope();
        var (pred, label) = Case();
        var rows = SegmentationEvaluator.Evaluate("c1", pred, label, 5, new MetricOptions(EmptyMaskPolicy.TransUNet));
        Assert.Equal(6.0 / 7, rows[0].Dice, 12);            // both present: (dc, hd95)
        Assert.Equal((1.0, 0.0), (rows[1].Dice, rows[1].Hd95));   // only predicted: (1, 0)
        Assert.Equal((0.0, 0.0), (rows[2].Dice, rows[2].Hd95));   // missed: (0, 0)
        Assert.Equal((0.0, 0.0), (rows[3].Dice, rows[3].Hd95));   // absent from both: (0, 0)
    }

    [Fact]
    public void BinaryTaskScoresTheForegroundAndBackgroundOnRequest()
    {
        using var scope = new DisposeScope();
        var pred = Tensor.From(new long[] { 1, 1, 0, 0, 1, 0 }, 2, 3);
        var label = Tensor.From(new long[] { 1, 0, 1, 0, 1, 0 }, 2, 3);
        Assert.Equal(4.0 / 6, Assert.Single(SegmentationEvaluator.Evaluate("x", pred, label, 2)).Dice, 12);
        var both = SegmentationEvaluator.Evaluate("x", pred, label, 2, new MetricOptions(IncludeBackground: true));
        Assert.Equal(new[] { 0, 1 }, both.Select(r => r.Class));
    }

    [Fact]
    public void Hd95PerClassEqualsHd95OfTheClassMasks()
    {
        using var scope = new DisposeScope();
        var z = torch.Arange(6).Reshape(6, 1, 1);
        var y = torch.Arange(20).Reshape(1, 20, 1);
        var x = torch.Arange(24).Reshape(1, 1, 24);
        var label = ((x + y * 2 + z * 3) / 9).Floor().Remainder(4).Long();
        var pred = ((x * 2 + y + z * 3 + 4) / 10).Floor().Remainder(4).Long();
        double[] spacing = [2.5, 0.8, 0.7];
        var rows = SegmentationEvaluator.Evaluate("v", pred, label, 4, new MetricOptions(Spacing: spacing, Hd95: Hd95Variant.Monai, IncludeBackground: true));
        foreach (var row in rows)
            Assert.Equal(HausdorffDistance95.Compute(pred.Eq(row.Class), label.Eq(row.Class), spacing, Hd95Variant.Monai), row.Hd95, 12);
        Assert.All(rows, r => Assert.True(r.Hd95 > 0));
    }
}
