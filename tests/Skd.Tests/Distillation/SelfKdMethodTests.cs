namespace Skd.Tests.Distillation;

/// <summary>The methods dskd, deep-supervision, byot and ps-kd: terms per epoch, classes, requirements, profiles, state dicts, training.</summary>
[Collection(SerialCollection.Name)]
public class SelfKdMethodTests
{
    public static TheoryData<string, int> MethodsAndClasses => new()
    {
        { "dskd", 2 }, { "dskd", 4 }, { "deep-supervision", 4 }, { "byot", 4 }, { "ps-kd", 2 }, { "ps-kd", 4 },
    };

    private static string[] TermNames(MethodLoss loss) => loss.Terms.Select(t => t.Key).ToArray();

    [Fact]
    public void EveryMethodIsRegistered()
    {
        foreach (var name in new[] { "dskd", "deep-supervision", "byot", "ps-kd" })
            Assert.Equal(name, Methods.Find(name).Name);
    }

    [Fact]
    public void DskdHasNoTeacherTermsInEpochZero()
    {
        using var batch = new SelfKdBatch(2);
        using var method = SelfKdBatch.Create("dskd", 2);
        method.BeginEpoch(0, 2);
        using (var scope = new DisposeScope()) Assert.Equal(["dice"], TermNames(batch.Loss(method, 0)));
        method.BeginEpoch(1, 2);
        using (var scope = new DisposeScope())
        {
            var loss = batch.Loss(method, 1);
            Assert.Equal(["dice", "ddl", "psdl"], TermNames(loss));
            Assert.All(loss.Values(), t => Assert.True(double.IsFinite(t.Value) && t.Value > 0, $"{t.Key} = {t.Value}"));
        }
    }

    [Fact]
    public void DskdWithLabelTargetsHasDdlFromEpochZero()
    {
        using var batch = new SelfKdBatch(2);
        using var method = SelfKdBatch.Create("dskd", 2, options: ("ddl-target", "label"));
        method.BeginEpoch(0, 2);
        using var scope = new DisposeScope();
        Assert.Equal(["dice", "ddl"], TermNames(batch.Loss(method, 0)));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 4)]
    public void DskdSideHeadsAreOneSigmoidChannelForTwoClassesAndKOtherwise(int classes, long sideChannels)
    {
        using var batch = new SelfKdBatch(classes);
        using var method = SelfKdBatch.Create("dskd", classes, options: ("distribution", "softmax"));
        var state = method.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal([sideChannels, 8, 3, 3], state["side_heads.up1.weight"].Shape);
        Assert.Equal([sideChannels, 4, 3, 3], state["side_heads.up2.weight"].Shape);
        method.BeginEpoch(1, 2);
        using var scope = new DisposeScope();
        Assert.All(batch.Loss(method, 1).Values(), t => Assert.True(double.IsFinite(t.Value), $"{t.Key} = {t.Value}"));
    }

    [Fact]
    public void PsKdTrainsOnPlainLabelsInEpochZero()
    {
        using var batch = new SelfKdBatch(4);
        using var method = SelfKdBatch.Create("ps-kd", 4);
        method.BeginEpoch(0, 2);
        using var scope = new DisposeScope();
        var loss = batch.Loss(method, 0);
        // By default the task's loss, supervised's 0.5 CE + 0.5 Dice.
        Assert.Equal(["ce", "dice"], TermNames(loss));
        Assert.Equal(new SegmentationLoss().Compute(method.Student.Logits(batch.Images), batch.Labels).Item(), loss.Total.Item(), 5);
        // dice-weight=0: PS-KD's CE alone.
        using var ceOnly = SelfKdBatch.Create("ps-kd", 4, options: ("dice-weight", "0"));
        var plain = batch.Loss(ceOnly, 0);
        Assert.Equal(["ce"], TermNames(plain));
        Assert.Equal(Functional.CrossEntropy(ceOnly.Student.Logits(batch.Images), batch.Labels).Item(), plain.Total.Item(), 5);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() => SelfKdBatch.Create("ps-kd", 4, options: ("dice-weight", "1.5"))).Message);
    }

    [Fact]
    public void PsKdWithoutSoftTargetsIsTheSupervisedLoss()
    {
        using var batch = new SelfKdBatch(4);
        using var method = SelfKdBatch.Create("ps-kd", 4, options: ("alpha", "0"));
        method.BeginEpoch(1, 2);
        using var scope = new DisposeScope();
        Assert.Equal(new SegmentationLoss().Compute(method.Student.Logits(batch.Images), batch.Labels).Item(), batch.Loss(method, 1).Total.Item(), 5);
    }

    [Fact]
    public void DeepSupervisionAndByotReportTheirTerms()
    {
        using var batch = new SelfKdBatch(4);
        using var deepSupervision = SelfKdBatch.Create("deep-supervision", 4, depth: 3);
        using var mainOnly = SelfKdBatch.Create("deep-supervision", 4, depth: 3, ("stage-weights", "0,0,1"));
        using var byot = SelfKdBatch.Create("byot", 4);
        using var scope = new DisposeScope();
        Assert.Equal(["seg-up1", "seg-up2", "seg"], TermNames(batch.Loss(deepSupervision, 0)));
        Assert.Equal(["seg"], TermNames(batch.Loss(mainOnly, 0)));
        Assert.Equal(["seg", "ce", "kd", "feature"], TermNames(batch.Loss(byot, 0)));
        Assert.Contains("3 comma-separated numbers",
            Assert.Throws<ArgumentException>(() => SelfKdBatch.Create("deep-supervision", 4, depth: 3, ("stage-weights", "1,1"))).Message);
    }

    [Fact]
    public void RequirementsFailBeforeTraining()
    {
        var tooShallow = Assert.Throws<MethodRequirementException>(() => SelfKdBatch.Create("dskd", 2, depth: 1));
        Assert.Contains("4×4 DDL patch grid needs input sizes divisible by 4, but a U-Net of depth 1 accepts any multiple of 2", tooShallow.Message);
        Assert.Contains("grid that divides 4", Assert.Throws<MethodRequirementException>(() => SelfKdBatch.Create("dskd", 2, options: ("grid", "3"))).Message);
        Assert.Contains("at least 2 classes", Assert.Throws<MethodRequirementException>(() => SelfKdBatch.Create("dskd", 1)).Message);
        using (SelfKdBatch.Create("dskd", 2, depth: 1, ("grid", "2"))) { }
        foreach (var name in new[] { "deep-supervision", "byot" })
            Assert.Contains("depth 2 or more", Assert.Throws<MethodRequirementException>(() => SelfKdBatch.Create(name, 4, depth: 1)).Message);
    }

    [Theory]
    [MemberData(nameof(MethodsAndClasses))]
    public void TrainingOnlyParametersAreTheRealTrainableExtras(string name, int classes)
    {
        using var method = SelfKdBatch.Create(name, classes, depth: 3);
        long extras = method.NamedParameters()
            .Where(p => p.Parameter.RequiresGrad && !p.Name.StartsWith(RunLayout.StudentPrefix, StringComparison.Ordinal))
            .Sum(p => p.Parameter.NumElements);
        var profile = method.Profile(32);
        Assert.Equal(extras, profile.TrainingParameters - profile.Parameters);
        Assert.Equal(method.Student.ParameterCount, profile.Parameters);
        Assert.Equal(method.TrainableParameters().Sum(p => p.NumElements), profile.TrainingParameters);
    }

    [Fact]
    public void TrainingOnlyMacsFollowTheProfileConvention()
    {
        using var dskd = SelfKdBatch.Create("dskd", 2);
        var rows = dskd.TrainingOnlyProfile(32).ToList();
        // 3×3 heads to one channel: up1 reads 8 channels at 16², up2 4 channels at 32²
        Assert.Equal(["side head up1", "side head up2", "snapshot (teacher)"], rows.Select(r => r.Name));
        Assert.Equal(16L * 16 * 8 * 9, rows[0].Macs);
        Assert.Equal(32L * 32 * 4 * 9, rows[1].Macs);
        Assert.Equal(0, rows[2].Parameters);
        Assert.Equal(dskd.Student.Profile(32).Macs + rows[0].Macs + rows[1].Macs, rows[2].Macs);

        using var byot = SelfKdBatch.Create("byot", 4);
        // 1×1 head to 4 classes and 1×1 adapter to the width (4), both on up1 (8 channels at 16²)
        Assert.Equal([16L * 16 * 4 * 8, 16L * 16 * 4 * 8], byot.TrainingOnlyProfile(32).Select(r => r.Macs));

        using var psKd = SelfKdBatch.Create("ps-kd", 4);
        Assert.Equal((0L, psKd.Student.Profile(32).Macs), psKd.TrainingOnlyProfile(32).Select(r => (r.Parameters, r.Macs)).Single());
    }

    [Theory]
    [MemberData(nameof(MethodsAndClasses))]
    public void StudentKeysAreAPlainUNetsUnderStudent(string name, int classes)
    {
        using var method = SelfKdBatch.Create(name, classes);
        using var plain = new UNet(SelfKdBatch.Network(classes));
        Assert.Equal(plain.StateDict().Select(kv => RunLayout.StudentPrefix + kv.Key),
            method.StateDict().Select(kv => kv.Key).Where(k => k.StartsWith(RunLayout.StudentPrefix, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(MethodsAndClasses))]
    public void ThirtyAdamStepsLowerTheLoss(string name, int classes)
    {
        using var batch = new SelfKdBatch(classes);
        using var method = SelfKdBatch.Create(name, classes);
        method.Train();
        method.BeginEpoch(1, 2);   // a teacher (the initial weights) for the methods that have one
        using var optimizer = new Adam(method.TrainableParameters(), lr: 1e-2);
        var losses = batch.Train(method, optimizer, 30, epoch: 1);
        Assert.True(losses[^1] < 0.9 * losses[0], $"{name}: loss {losses[0]} → {losses[^1]}");
    }
}
