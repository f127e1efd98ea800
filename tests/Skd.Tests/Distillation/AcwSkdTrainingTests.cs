using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>ACW-SKD trains: plain SGD on its trainable parameters lowers the total loss on a fixed batch; a step leaves no tensor behind, and reports its learned τ.</summary>
[Collection(SerialCollection.Name)]
public class AcwSkdTrainingTests
{
    [Theory]
    [InlineData("global")]
    [InlineData("per-image")]
    public void ThirtySgdStepsLowerTheTotalLoss(string temperature)
    {
        torch.ManualSeed(0);
        using var method = Create(new() { ["adversarial"] = "on", ["temperature"] = temperature, ["warmup"] = "0" });
        using var images = torch.Randn(2, 1, 32, 32);
        // Labels: a disc (class 1) and a band (class 2) on background, the same for both images.
        var yy = Enumerable.Range(0, 32 * 32).Select(i => (Row: i / 32, Col: i % 32));
        var label = yy.Select(p => (p.Row - 10) * (p.Row - 10) + (p.Col - 10) * (p.Col - 10) < 36 ? 1L : p.Row > 22 ? 2L : 0L).ToArray();
        using var labels = Tensor.From(label.Concat(label).ToArray(), 2, 32, 32);
        using var optimizer = new SGD(method.TrainableParameters(), lr: 0.01, momentum: 0.9);
        var totals = new List<double>();
        var selfTeacher = new List<double>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = new DisposeScope();
            optimizer.ZeroGrad();
            var loss = method.Loss(images, labels, new TrainingStep(0, 1, step, 30));
            loss.Total.Backward();
            optimizer.Step();
            totals.Add(loss.Total.Item());
            selfTeacher.Add(loss.Values().Single(t => t.Key == "self_teacher").Value);
        }
        Assert.All(totals, t => Assert.True(double.IsFinite(t)));
        Assert.True(totals.TakeLast(5).Average() < 0.85 * totals[0], $"total {totals[0]:F4} → {string.Join(", ", totals.TakeLast(5).Select(t => t.ToString("F4")))}");
        // The self-teacher learns on its own branch (it reads sg F): its loss falls too.
        Assert.True(selfTeacher.TakeLast(5).Average() < 0.9 * selfTeacher[0], $"self_teacher {selfTeacher[0]:F4} → {selfTeacher[^1]:F4}");
    }

    [Theory]
    [InlineData("global")]
    [InlineData("per-image")]
    public void AStepLeavesNoTensorBehindAndReportsItsTemperature(string temperature)
    {
        torch.ManualSeed(1);
        using var method = Create(new() { ["adversarial"] = "on", ["temperature"] = temperature, ["warmup"] = "0" });
        using var images = torch.Randn(2, 1, 16, 16);
        using var labels = torch.RandInt(0, 3, [2, 16, 16]);
        long before = torch.LiveTensorCount;
        for (int step = 0; step < 2; step++)
        {
            using var scope = new DisposeScope();
            method.ZeroGrad();
            method.Loss(images, labels, new TrainingStep(0, 1, step, 2)).Total.Backward();
        }
        method.ZeroGrad();
        Assert.Equal(before, torch.LiveTensorCount);
        using var scope2 = new DisposeScope();
        double tau = method.Loss(images, labels, new TrainingStep(0, 1, 1, 2)).ScalarValues().Single(s => s.Key == "tau").Value;
        Assert.InRange(tau, 1.0001, 4.9999);
    }
}
