namespace Skd.Tests.Metrics;

public class OverlapMetricsTests
{
    [Fact]
    public void FormulasByHand()
    {
        // TP 2, FP 1, FN 1, TN 2 (N = 6).
        var m = OverlapMetrics.Compute(new ConfusionCounts(2, 1, 1, 2));
        Assert.Equal(4.0 / 6, m.Dice, 12);
        Assert.Equal(2.0 / 4, m.IoU, 12);
        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        Assert.Equal(2.0 / 3, m.Sensitivity, 12);
        Assert.Equal(2.0 / 3, m.Specificity, 12);
    }

    [Fact]
    public void SkipAbsentGivesNaNOnlyToAClassAbsentFromBoth()
    {
        var absent = OverlapMetrics.Compute(new ConfusionCounts(0, 0, 0, 10));
        Assert.All(new[] { absent.Dice, absent.IoU, absent.Accuracy, absent.Sensitivity, absent.Specificity }, v => Assert.True(double.IsNaN(v)));

        var onlyPredicted = OverlapMetrics.Compute(new ConfusionCounts(0, 3, 0, 7));
        Assert.Equal(0, onlyPredicted.Dice);
        Assert.Equal(0, onlyPredicted.IoU);
        Assert.Equal(0.7, onlyPredicted.Accuracy, 12);
        Assert.True(double.IsNaN(onlyPredicted.Sensitivity));
        Assert.Equal(0.7, onlyPredicted.Specificity, 12);

        var missed = OverlapMetrics.Compute(new ConfusionCounts(0, 0, 4, 6));
        Assert.Equal(0, missed.Dice);
        Assert.Equal(0, missed.Sensitivity);
        Assert.Equal(1, missed.Specificity);

        var everywhere = OverlapMetrics.Compute(new ConfusionCounts(10, 0, 0, 0));
        Assert.Equal(1, everywhere.Dice);
        Assert.True(double.IsNaN(everywhere.Specificity));
    }

    [Fact]
    public void TransUNetDiceRule()
    {
        const EmptyMaskPolicy t = EmptyMaskPolicy.TransUNet;
        Assert.Equal(4.0 / 6, OverlapMetrics.Compute(new ConfusionCounts(2, 1, 1, 2), t).Dice, 12);  // both present: dc
        Assert.Equal(1, OverlapMetrics.Compute(new ConfusionCounts(0, 3, 0, 7), t).Dice);             // only predicted: 1
        Assert.Equal(0, OverlapMetrics.Compute(new ConfusionCounts(0, 0, 4, 6), t).Dice);             // missed: 0
        var absent = OverlapMetrics.Compute(new ConfusionCounts(0, 0, 0, 10), t);                      // absent from both: 0
        Assert.Equal(0, absent.Dice);
        Assert.True(double.IsNaN(absent.IoU));
    }
}
