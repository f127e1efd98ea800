namespace Skd.Tests.Distillation;

/// <summary>What every registered method promises the trainer (see <see cref="SegmentationMethod"/>).</summary>
[Collection(SerialCollection.Name)]
public class MethodContractTests
{
    private static readonly UNetConfig Student = new(InChannels: 1, Classes: 3, Width: 4, Depth: 2);

    public static TheoryData<string> SelfDistillationMethods() => new(Methods.All.Where(m => !m.NeedsTeacher).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(SelfDistillationMethods))]
    public void TheStudentIsAPlainUNetAndTheTermsSumToTheTotal(string name)
    {
        torch.ManualSeed(3);
        using var method = Methods.Create(name, Student);
        using var plain = new UNet(Student);
        var studentKeys = method.StateDict().Where(kv => kv.Key.StartsWith(RunLayout.StudentPrefix)).Select(kv => kv.Key[RunLayout.StudentPrefix.Length..]);
        Assert.Equal(plain.StateDict().Select(kv => kv.Key), studentKeys);
        Assert.Equal(plain.ParameterCount, method.Profile(32).Parameters);

        using var scope = new DisposeScope();
        var images = torch.Rand(2, 1, 32, 32);
        var labels = torch.RandInt(0, 3, [2, 32, 32]);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            method.BeginEpoch(epoch, 2);
            var loss = method.Loss(images, labels, new TrainingStep(epoch, 2, 0, 1));
            var values = loss.Values();
            Assert.NotEmpty(values);
            Assert.All(values, v => Assert.True(double.IsFinite(v.Value), $"{name}: term {v.Key} = {v.Value}"));
            Assert.Equal(loss.Total.Item(), values.Sum(v => v.Value), 4);
            loss.Total.Backward();
            Assert.All(method.Student.Parameters(), p => Assert.NotNull(p.Grad));
            method.ZeroGrad();
        }
    }

    [Fact]
    public void AnUnknownOptionListsTheMethodsOptions()
    {
        var e = Assert.Throws<ArgumentException>(() => Methods.Create("supervised", Student, new Dictionary<string, string> { ["tau"] = "4" }));
        Assert.Contains("has no option 'tau'", e.Message);
        Assert.Contains("ce-weight", e.Message);
    }

    [Fact]
    public void ABadOptionValueNamesTheOptionAndWhatWasExpected()
    {
        var e = Assert.Throws<ArgumentException>(() => Methods.Create("supervised", Student, new Dictionary<string, string> { ["ce-weight"] = "lots" }));
        Assert.Contains("ce-weight=lots", e.Message);
        Assert.Contains("a number", e.Message);
    }

    [Fact]
    public void ResolvedOptionsHoldDefaultsAndGivenValues()
    {
        var options = SupervisedMethod.Info.ParseOptions(new Dictionary<string, string> { ["dice-weight"] = "1" });
        Assert.Equal(new Dictionary<string, string> { ["ce-weight"] = "0.5", ["dice-weight"] = "1" }, options.Resolved);
    }

    [Fact]
    public void SelfDistillationTakesNoTeacher()
    {
        var e = Assert.Throws<MethodRequirementException>(() => Methods.Create("supervised", Student, teacherPath: "teacher.safetensors"));
        OptionMessages.Names(e, "teacher", "takes no --teacher");
    }

    [Fact]
    public void OfflineMethodsNeedATeacherBeforeAnythingIsBuilt()
    {
        foreach (var info in Methods.All.Where(m => m.NeedsTeacher))
        {
            var e = Assert.Throws<MethodRequirementException>(() => Methods.Create(info.Name, Student));
            OptionMessages.Names(e, "teacher", "--teacher");
        }
    }

    [Fact]
    public void AnUnknownMethodListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Methods.Find("acw"));
        Assert.Contains("supervised", e.Message);
    }

    [Fact]
    public void SupervisedIsHalfCrossEntropyHalfDice()
    {
        torch.ManualSeed(5);
        using var method = Methods.Create("supervised", Student);
        using var scope = new DisposeScope();
        var images = torch.Rand(2, 1, 16, 16);
        var labels = torch.RandInt(0, 3, [2, 16, 16]);
        var loss = method.Loss(images, labels, new TrainingStep(0, 1, 0, 1)).Values().ToDictionary();
        var logits = method.Student.Logits(images);
        Assert.Equal(0.5 * Functional.CrossEntropy(logits, labels).Item(), loss["ce"], 6);
        Assert.Equal(0.5 * new Skd.Losses.DiceLoss().Compute(logits, labels).Item(), loss["dice"], 6);
    }
}
