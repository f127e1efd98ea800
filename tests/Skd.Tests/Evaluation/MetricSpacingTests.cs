namespace Skd.Tests.Evaluation;

/// <summary>HD95's units: spacings are given in the files' (x, y, z) order and used in the label map's axis order.</summary>
public class MetricSpacingTests
{
    [Fact]
    public void SpacingsTurnIntoArrayOrder()
    {
        double[] file = [0.8, 0.7, 2.5];
        Assert.Null(MetricSpacing.Voxels.ForLabelMap(3, file, "c"));
        Assert.Equal(new double[] { 2.5, 0.7, 0.8 }, MetricSpacing.Files.ForLabelMap(3, file, "c"));
        Assert.Equal(new double[] { 0.7, 0.8 }, MetricSpacing.Files.ForLabelMap(2, file, "c"));
        Assert.Equal(new double[] { 3.0, 2.0, 1.0 }, MetricSpacing.Of([1, 2, 3]).ForLabelMap(3, file, "c"));
        Assert.Equal(new double[] { 2.0, 1.0 }, MetricSpacing.Of([1, 2]).ForLabelMap(2, file, "c"));
    }

    [Fact]
    public void WrongSpacingsAreClearErrors()
    {
        Assert.Contains("2 or 3 numbers", Assert.Throws<ArgumentException>(() => MetricSpacing.Of([1])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => MetricSpacing.Of([1, 0])).Message);
        Assert.Contains("c: 2 spacings given for a 3-D label map", Assert.Throws<ArgumentException>(() => MetricSpacing.Of([1, 2]).ForLabelMap(3, [1, 1, 1], "c")).Message);
    }
}
