namespace Skd.Tests.Metrics;

public class ConfusionCountsTests
{
    [Fact]
    public void BinaryCountsByHand()
    {
        using var scope = new DisposeScope();
        var pred = Tensor.From(new long[] { 1, 1, 0, 0, 1, 0 }, 2, 3);
        var label = Tensor.From(new long[] { 1, 0, 1, 0, 1, 0 }, 2, 3);
        Assert.Equal(new ConfusionCounts(2, 1, 1, 2), ConfusionCounts.Foreground(pred, label));
    }

    [Fact]
    public void MultiClassVolumeCountsEveryClass()
    {
        using var scope = new DisposeScope();
        // 2×2×2: pred and label differ at 3 voxels.
        var pred = Tensor.From(new long[] { 0, 1, 1, 2, 2, 2, 0, 0 }, 2, 2, 2);
        var label = Tensor.From(new long[] { 0, 1, 2, 2, 2, 1, 0, 1 }, 2, 2, 2);
        var c = ConfusionCounts.Compute(pred, label, 4);
        Assert.Equal(new ConfusionCounts(2, 1, 0, 5), c[0]);
        Assert.Equal(new ConfusionCounts(1, 1, 2, 4), c[1]);
        Assert.Equal(new ConfusionCounts(2, 1, 1, 4), c[2]);
        Assert.Equal(new ConfusionCounts(0, 0, 0, 8), c[3]);
        Assert.All(c, k => Assert.Equal(8, k.Total));
    }

    [Fact]
    public void ManyClassesAreCountedWithoutAClassByClassMatrix()
    {
        // 50000² would overflow a K×K matrix's int index (IndexOutOfRangeException before).
        var c = ConfusionCounts.Compute(new long[] { 49999, 3, 3 }, new long[] { 49999, 3, 7 }, 50000);
        Assert.Equal(50000, c.Length);
        Assert.Equal(new ConfusionCounts(1, 0, 0, 2), c[49999]);
        Assert.Equal(new ConfusionCounts(1, 1, 0, 1), c[3]);
        Assert.Equal(new ConfusionCounts(0, 0, 1, 2), c[7]);
    }

    [Fact]
    public void RandomMapsMatchACountPerClass()
    {
        using var scope = new DisposeScope();
        var pred = torch.RandInt(0, 5, [4, 30, 40], DType.UInt8);   // any integer dtype
        var label = torch.RandInt(0, 5, [4, 30, 40]);
        var c = ConfusionCounts.Compute(pred, label, 5);
        for (int k = 0; k < 5; k++)
        {
            var p = pred.Eq(k);
            var l = label.Eq(k);
            long tp = (long)p.LogicalAnd(l).Sum().Item(), predicted = (long)p.Sum().Item(), actual = (long)l.Sum().Item();
            Assert.Equal(new ConfusionCounts(tp, predicted - tp, actual - tp, 4800 - predicted - actual + tp), c[k]);
        }
    }

    [Fact]
    public void RejectsBadInputs()
    {
        using var scope = new DisposeScope();
        var a = Tensor.From(new long[] { 0, 1, 2, 3 }, 2, 2);
        Assert.Throws<ArgumentException>(() => ConfusionCounts.Compute(a, a, 3));                        // id 3 ≥ K
        Assert.Throws<ArgumentException>(() => ConfusionCounts.Compute(a - 1, a, 4));                    // id −1
        Assert.Throws<ArgumentException>(() => ConfusionCounts.Compute(a, a.Reshape(4, 1, 1), 4));        // shapes
        Assert.Throws<ArgumentException>(() => ConfusionCounts.Compute(a.Reshape(4), a.Reshape(4), 4));   // 1-D
        Assert.Throws<ArgumentException>(() => ConfusionCounts.Compute(a.Double(), a.Double(), 4));       // floats
    }
}
