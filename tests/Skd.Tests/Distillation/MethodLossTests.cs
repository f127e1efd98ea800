namespace Skd.Tests.Distillation;

/// <summary>
/// The diagnostics a method's loss carries: each term's weight (also at weight 0), reported scalars,
/// and the gradient norm of each weighted term at watched features, measured without changing what
/// the backward pass then computes.
/// </summary>
public class MethodLossTests
{
    [Fact]
    public void WeightsListEveryTermAndATermAtWeightZeroNeedsNoValue()
    {
        using var scope = new DisposeScope();
        var loss = new MethodLoss()
            .Add("seg", Tensor.Scalar(2.0))
            .Add("aux", Tensor.Scalar(1.0), 0.4)
            .Add("kd", null, 0);
        Assert.Equal(["seg", "aux"], loss.Terms.Select(t => t.Key));
        Assert.Equal([("seg", 1.0), ("aux", 0.4), ("kd", 0.0)], loss.Weights.Select(w => (w.Key, w.Value)));
        Assert.Equal(2.4, loss.Total.Item(), 12);
        Assert.Contains("'cw' has weight 0.1 but no value", Assert.Throws<ArgumentNullException>(() => loss.Add("cw", null, 0.1)).Message);
        Assert.Contains("added twice", Assert.Throws<ArgumentException>(() => loss.Add("kd", null, 0)).Message);
    }

    [Fact]
    public void AReportedScalarIsItsMean()
    {
        using var scope = new DisposeScope();
        var loss = new MethodLoss().Add("seg", Tensor.Scalar(1.0)).Report("tau", Tensor.From(new[] { 2.0, 4.0 }));
        Assert.Equal([("tau", 3.0)], loss.ScalarValues().Select(s => (s.Key, s.Value)));
    }

    [Fact]
    public void GradientNormsAreThoseOfEachWeightedTermAtTheWatchedFeatures()
    {
        using var scope = new DisposeScope();
        var w = Tensor.From(new[] { 1.0, -2.0, 3.0 }).RequiresGrad_();
        var features = w * 2;                          // F = 2w
        var other = w * 5;
        var loss = new MethodLoss().Watch("f", features)
            .Add("square", (features * features).Sum(), 0.5)   // ∂/∂F = 0.5·2F = F
            .Add("linear", features.Sum() * 3)                 // ∂/∂F = 3
            .Add("elsewhere", other.Sum(), 2);                 // does not reach F
        var norms = loss.GradientNorms()["f"];
        Assert.Equal(["square", "linear", "elsewhere", MethodLoss.TotalKey], norms.Keys);
        Assert.Equal(Math.Sqrt(4 + 16 + 36), norms["square"], 10);
        Assert.Equal(Math.Sqrt(27), norms["linear"], 10);
        Assert.Equal(0, norms["elsewhere"]);
        Assert.Equal(Math.Sqrt(25 + 1 + 81), norms[MethodLoss.TotalKey], 10);   // F + 3 = (5, −1, 9)
        Assert.Null(w.Grad);

        loss.Total.Backward();                          // the graph is still there, and the gradient is the plain one
        Assert.Equal(new[] { 2 * 2 * 1.0 + 6 + 10, 2 * 2 * -2.0 + 6 + 10, 2 * 2 * 3.0 + 6 + 10 }, w.Grad!.ToArray<double>());
    }

    [Fact]
    public void EveryMethodWatchesTheStudentsPenultimateFeatures()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(0);
        var images = torch.Randn(2, 1, 16, 16);
        var labels = torch.RandInt(0, 3, [2, 16, 16]);
        foreach (var info in Methods.All.Where(m => !m.NeedsTeacher))
        {
            using var method = info.Create(new Skd.Models.UNetConfig(1, 3, 4, 2));
            method.BeginEpoch(1, 2);   // snapshot methods have their teacher from epoch 1
            var norms = method.Loss(images, labels, new TrainingStep(1, 2, 0, 1)).GradientNorms();
            Assert.True(norms.ContainsKey(MethodLoss.Penultimate), $"{info.Name} watches {string.Join(", ", norms.Keys)}");
            Assert.True(norms[MethodLoss.Penultimate][MethodLoss.TotalKey] > 0, info.Name);
        }
    }
}
