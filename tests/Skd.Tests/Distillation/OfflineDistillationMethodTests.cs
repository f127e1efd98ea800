namespace Skd.Tests.Distillation;

/// <summary>
/// Training with the offline KD methods: a width-8 teacher saved with <see cref="ModelFile.Save"/>
/// distils into a width-4 student, the loss falls under SGD, its terms are reported apart, and the
/// teacher neither receives gradient nor changes.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class OfflineDistillationMethodTests : IDisposable
{
    private static readonly UNetConfig Student = new(InChannels: 1, Classes: 3, Width: 4, Depth: 2);
    private static readonly TrainingStep Step = new(0, 1, 0, 1);
    private readonly TeacherFiles files = new();

    public static TheoryData<string> OfflineMethods => TeacherTests.OfflineMethods;

    public void Dispose() => files.Dispose();

    private OfflineDistillationMethod Create(string name)
    {
        torch.ManualSeed(7);
        var path = files.Save(Student with { Width = 8 });
        return (OfflineDistillationMethod)Methods.Create(name, Student, teacherPath: path);
    }

    /// <summary>Four 16×16 images whose label is a function of the intensity (three bands).</summary>
    private static (Tensor Images, Tensor Labels) Batch()
    {
        torch.ManualSeed(11);
        var images = torch.Rand(4, 1, 16, 16);
        var labels = (images.Squeeze(1) * 3).Floor().ClampMax(2).To(DType.Int64);
        return (images, labels);
    }

    [Fact]
    public void ANonPositiveTemperatureIsRefused()
    {
        var path = files.Save(Student with { Width = 8 });
        var e = Assert.Throws<ArgumentException>(() => Methods.Create("cwd", Student, new Dictionary<string, string> { ["temperature"] = "0" }, path));
        Assert.Contains("temperature", e.Message);
    }

    [Theory]
    [MemberData(nameof(OfflineMethods))]
    public void AFewSgdStepsLowerTheLossWhoseTermsAreSegmentationAndDistillation(string name)
    {
        using var method = Create(name);
        using var scope = new DisposeScope();
        var (images, labels) = Batch();
        using var sgd = new SGD(method.TrainableParameters(), lr: 0.05, momentum: 0.9);
        var totals = new List<double>();
        var distillation = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            using var step = new DisposeScope();
            var loss = method.Loss(images, labels, Step);
            Assert.Equal(["seg", name], loss.Terms.Select(t => t.Key));
            Assert.Equal(loss.Total.Item(), loss.Values().Sum(v => v.Value), 5);
            Assert.All(loss.Values(), v => Assert.True(double.IsFinite(v.Value) && v.Value >= 0, $"{v.Key} = {v.Value}"));
            totals.Add(loss.Total.Item());
            distillation.Add(loss.Values()[1].Value);
            sgd.ZeroGrad();
            loss.Total.Backward();
            sgd.Step();
        }
        Assert.True(totals[^1] < totals[0], $"{name}: loss went from {totals[0]} to {totals[^1]}");
        Assert.True(distillation[^1] < distillation[0], $"{name}: the distillation term went from {distillation[0]} to {distillation[^1]}");
    }

    [Theory]
    [MemberData(nameof(OfflineMethods))]
    public void TheTeacherGetsNoGradientAndKeepsItsWeightsThroughAnOptimiserStep(string name)
    {
        using var method = Create(name);
        using var scope = new DisposeScope();
        var teacher = method.Teacher.Network.StateDict();
        var before = teacher.Select(kv => kv.Value.Clone()).ToList();
        var studentBefore = method.Student.Parameters().Select(p => p.Clone()).ToList();
        var (images, labels) = Batch();
        using var sgd = new SGD(method.TrainableParameters(), lr: 0.1);
        method.Loss(images, labels, Step).Total.Backward();
        Assert.All(method.Teacher.Network.Parameters(), p => Assert.Null(p.Grad));
        Assert.All(method.Student.Parameters(), p => Assert.NotNull(p.Grad));
        sgd.Step();
        foreach (var ((key, now), was) in teacher.Zip(before))
            Assert.True((now - was).Abs().Max().Item() == 0, $"teacher {key} changed");
        Assert.Contains(method.Student.Parameters().Zip(studentBefore), pair => (pair.First - pair.Second).Abs().Max().Item() > 0);
    }

    [Fact]
    public void TheTeacherFollowsTheBatchsDtypeAndDevice()
    {
        using var method = Create("ifvd");
        var device = torch.CudaIsAvailable ? Device.Cuda(0) : Device.Cpu;
        method.To(DType.Float64).To(device);
        using var scope = new DisposeScope();
        var (images, labels) = Batch();
        var loss = method.Loss(images.To(device, DType.Float64), labels.To(device), Step);
        loss.Total.Backward();
        Assert.Equal(DType.Float64, loss.Total.DType);
        Assert.All(method.Teacher.Network.StateDict(), kv => Assert.Equal(device, kv.Value.Device));
        Assert.All(method.Teacher.Network.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
    }
}
