namespace Skd.Tests.Distillation;

/// <summary>
/// Loading the teacher of the offline KD methods: requirement failures before any training (and
/// without leaking the loaded network), run folders, and a teacher that stays frozen and outside
/// the method's state.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TeacherTests : IDisposable
{
    private static readonly UNetConfig Student = new(InChannels: 1, Classes: 3, Width: 4, Depth: 2);
    private readonly TeacherFiles files = new();

    public static TheoryData<string> OfflineMethods => new() { "kd", "cwd", "at", "ifvd" };

    public void Dispose() => files.Dispose();

    [Theory]
    [MemberData(nameof(OfflineMethods))]
    public void EveryOfflineMethodIsRegisteredAsNeedingATeacherAndRefusesToRunWithoutOne(string name)
    {
        Assert.True(Methods.Find(name).NeedsTeacher);
        var e = Assert.Throws<MethodRequirementException>(() => Methods.Create(name, Student));
        OptionMessages.Names(e, "teacher", "give --teacher RUN_FOLDER or MODEL.safetensors (train one with --method supervised --width 64)");
    }

    [Theory]
    [MemberData(nameof(OfflineMethods))]
    public void ATeacherOfOtherClassesFailsBeforeTrainingAndLeaksNothing(string name)
    {
        var path = files.Save(Student with { Classes = 5, Width = 8 });
        long live = torch.LiveTensorCount;
        var e = Assert.Throws<MethodRequirementException>(() => Methods.Create(name, Student, teacherPath: path));
        Assert.Contains("5 classes", e.Message);
        Assert.Contains("have 3", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(live, torch.LiveTensorCount);
    }

    [Fact]
    public void ATeacherOfOtherInputChannelsFails()
    {
        var path = files.Save(Student with { InChannels = 3 });
        var e = Assert.Throws<MethodRequirementException>(() => Methods.Create("kd", Student, teacherPath: path));
        Assert.Contains("3 input channels", e.Message);
    }

    [Fact]
    public void AttentionTransferNeedsATeacherOfTheSameDepthTheOthersDoNot()
    {
        var path = files.Save(Student with { Width = 8, Depth = 3 });
        var e = Assert.Throws<MethodRequirementException>(() => Methods.Create("at", Student, teacherPath: path));
        Assert.Contains("depth 3", e.Message);
        foreach (var name in new[] { "kd", "cwd", "ifvd" })
        {
            using var method = Methods.Create(name, Student, teacherPath: path);
            Assert.Equal(3, ((OfflineDistillationMethod)method).Teacher.Network.Config.Depth);
        }
    }

    [Fact]
    public void AMissingTeacherOrAFileThatIsNoModelFailsWithModelFilesMessage()
    {
        var missing = Path.Combine(files.Folder, "nowhere.safetensors");
        var notFound = Assert.Throws<FileNotFoundException>(() => Methods.Create("kd", Student, teacherPath: missing));
        Assert.Contains(missing, notFound.Message);
        var emptyRun = Directory.CreateDirectory(Path.Combine(files.Folder, "run")).FullName;
        Assert.Throws<FileNotFoundException>(() => Methods.Create("kd", Student, teacherPath: emptyRun));

        var plain = Path.Combine(files.Folder, "plain.safetensors");
        using (var t = torch.Zeros(2)) SafetensorsFile.Save(plain, [new("x", t)]);
        var invalid = Assert.Throws<InvalidDataException>(() => Methods.Create("kd", Student, teacherPath: plain));
        Assert.Contains(plain, invalid.Message);
    }

    [Fact]
    public void ATeacherLoadsFromARunFolderWithItsWeights()
    {
        var run = Directory.CreateDirectory(Path.Combine(files.Folder, "teacher-run")).FullName;
        var path = files.Save(Student with { Width = 8 }, Path.Combine("teacher-run", "best.safetensors"));
        using var method = (OfflineDistillationMethod)Methods.Create("cwd", Student, teacherPath: run);
        Assert.Equal(path, method.Teacher.Path);
        using var saved = ModelFile.Load(path).Network;
        using var scope = new DisposeScope();
        foreach (var ((key, expected), (_, loaded)) in saved.StateDict().Zip(method.Teacher.Network.StateDict()))
            Assert.True((expected - loaded).Abs().Max().Item() == 0, key);
    }

    [Theory]
    [MemberData(nameof(OfflineMethods))]
    public void TheTeacherIsFrozenInEvalModeAndOutsideTheMethodsState(string name)
    {
        var path = files.Save(Student with { Width = 8 });
        using var method = (OfflineDistillationMethod)Methods.Create(name, Student, teacherPath: path);
        method.Train();
        Assert.False(method.Teacher.Network.Training);
        Assert.All(method.Teacher.Network.Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.All(method.StateDict(), kv => Assert.StartsWith(RunLayout.StudentPrefix, kv.Key));
        Assert.Equal(method.Student.StateDict().Count, method.StateDict().Count);
        Assert.Equal(method.Student.ParameterCount, method.TrainableParameters().Sum(p => p.NumElements));
    }

    [Fact]
    public void TheTeachersComputeIsReportedApartFromTheDeployedStudent()
    {
        var path = files.Save(Student with { Width = 8 });
        using var method = (OfflineDistillationMethod)Methods.Create("kd", Student, teacherPath: path);
        using var teacher = new UNet(Student with { Width = 8 });
        Assert.Equal(teacher.Profile(16).Macs, method.TeacherProfile(16).Macs);
        var profile = method.Profile(16);
        Assert.Equal(method.Student.Profile(16).Macs, profile.TrainingMacs);
        Assert.Equal(method.Student.ParameterCount, profile.TrainingParameters);
    }
}
