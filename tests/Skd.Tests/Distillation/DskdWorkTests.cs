namespace Skd.Tests.Distillation;

/// <summary>
/// dskd runs only what its weighted terms need (counted as the tensors a loss leaves alive in its scope): no side
/// heads at ddl-weight 0, no snapshot teacher when neither PSDL nor a teacher-targeted DDL counts.
/// </summary>
[Collection(SerialCollection.Name)]
public class DskdWorkTests
{
    private static readonly UNetConfig Student = new(InChannels: 1, Classes: 2, Width: 4, Depth: 2);

    private static long TensorsLeftBy(Func<MethodLoss> loss)
    {
        using var scope = new DisposeScope();
        long before = torch.LiveTensorCount;
        loss();
        return torch.LiveTensorCount - before;
    }

    [Fact]
    public void WithDdlAndPsdlOffTheLossIsTheStudentsDiceAlone()
    {
        torch.ManualSeed(2);
        using var method = Methods.Create("dskd", Student, new Dictionary<string, string> { ["ddl-weight"] = "0", ["psdl-weight"] = "0" });
        using var scope = new DisposeScope();
        var images = torch.Rand(2, 1, 16, 16);
        var labels = torch.RandInt(0, 2, [2, 16, 16]);
        method.BeginEpoch(1, 2);
        long dskd = TensorsLeftBy(() => method.Loss(images, labels, new TrainingStep(1, 2, 0, 1)));
        long diceAlone = TensorsLeftBy(() =>
        {
            var output = method.Student.Forward(images);
            return new MethodLoss().Watch(output).Add("dice", new DiceLoss().Compute(output.Logits, labels));
        });
        Assert.Equal(diceAlone, dskd);
    }

    [Fact]
    public void ADdlTowardsTheLabelsWithoutPsdlRunsNoTeacher()
    {
        torch.ManualSeed(3);
        using var method = Methods.Create("dskd", Student, new Dictionary<string, string> { ["ddl-target"] = "label", ["psdl-weight"] = "0" });
        using var scope = new DisposeScope();
        var images = torch.Rand(2, 1, 16, 16);
        var labels = torch.RandInt(0, 2, [2, 16, 16]);
        method.BeginEpoch(0, 2);
        long withoutTeacher = TensorsLeftBy(() => method.Loss(images, labels, new TrainingStep(0, 2, 0, 1)));
        method.BeginEpoch(1, 2);
        long withTeacher = TensorsLeftBy(() => method.Loss(images, labels, new TrainingStep(1, 2, 0, 1)));
        Assert.Equal(withoutTeacher, withTeacher);
    }
}
