namespace Skd.Tests.Distillation;

/// <summary>DSKD's options from the public re-implementation (methods.md §2): foreground Dice, the KL's order, the main output as the last side output.</summary>
[Collection(SerialCollection.Name)]
public class DskdOptionsTests
{
    [Fact]
    public void ForegroundDiceIsTheReimplementationsAndTheDefaultStaysTransUNets()
    {
        using var batch = new SelfKdBatch(3);
        using var scope = new DisposeScope();
        foreach (var (option, expected) in new[] { ("foreground", new DiceLoss(IncludeBackground: false, SquaredDenominator: false, Smooth: 1)), ("all", new DiceLoss()) })
        {
            using var method = SelfKdBatch.Create("dskd", 3, options: ("dice", option));
            method.BeginEpoch(0, 2);
            double dice = batch.Loss(method, 0).Values().Single(t => t.Key == "dice").Value;
            Assert.Equal(expected.Compute(method.Student.Logits(batch.Images), batch.Labels).Item(), dice, 6);
        }
    }

    [Fact]
    public void TheKlOrderReachesTheDdl()
    {
        using var batch = new SelfKdBatch(2);
        using var scope = new DisposeScope();
        var values = new Dictionary<string, double>();
        foreach (var order in new[] { "target-student", "student-target" })
        {
            torch.ManualSeed(1);
            using var method = SelfKdBatch.Create("dskd", 2, options: [("kl", order), ("ddl-target", "label")]);
            method.BeginEpoch(0, 2);
            values[order] = batch.Loss(method, 0).Values().Single(t => t.Key == "ddl").Value;
        }
        // The same weights and side outputs: only the order differs, and against one-hot patch targets the two KLs differ.
        Assert.NotEqual(values["target-student"], values["student-target"], 6);
        Assert.All(values.Values, v => Assert.True(double.IsFinite(v) && v > 0));
    }

    [Theory]
    [InlineData("head")]
    [InlineData("main")]
    public void TheMainOutputCanBeTheLastSideOutput(string lastSide)
    {
        using var batch = new SelfKdBatch(2);
        using var scope = new DisposeScope();
        using var method = SelfKdBatch.Create("dskd", 2, options: [("last-side", lastSide), ("ddl-target", "label"), ("dice-weight", "0")]);
        var sideHeads = method.StateDict().Select(kv => kv.Key).Where(k => k.StartsWith("side_heads.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal)).ToList();
        string[] expectedHeads = lastSide == "main" ? ["side_heads.up1.weight"] : ["side_heads.up1.weight", "side_heads.up2.weight"];
        Assert.Equal(expectedHeads, sideHeads);

        method.BeginEpoch(0, 2);
        var loss = batch.Loss(method, 0);
        Assert.Equal(["ddl"], loss.Terms.Select(t => t.Key));
        loss.Total.Backward();
        // Only through the main output does the DDL reach the student's 1×1 head.
        var head = method.NamedParameters().Single(p => p.Name == "student.outc.conv.weight").Parameter;
        bool reached = head.Grad is { } g && g.Abs().Max().Item() > 0;
        Assert.Equal(lastSide == "main", reached);
        if (lastSide == "main")
        {
            var output = method.Student.Forward(batch.Images);
            var expected = new DeepDistributionLoss().Compute(
                [DeepDistributionLoss.SideProbabilities(Side(method, output)), output.Logits.Softmax(1)],
                Enumerable.Repeat(Functional.OneHot(batch.Labels, 2).Permute(0, 3, 1, 2).To(DType.Float32), 2).ToList());
            Assert.Equal(expected.Item(), loss.Values().Single().Value, 5);
        }
    }

    private static Tensor Side(SegmentationMethod method, Skd.Models.UNetOutput output)
    {
        var weight = method.NamedParameters().Single(p => p.Name == "side_heads.up1.weight").Parameter;
        var bias = method.NamedParameters().Single(p => p.Name == "side_heads.up1.bias").Parameter;
        var side = Functional.Conv2d(output.DecoderFeatures[0], weight, bias, padding: (1, 1));
        return Functional.Interpolate(side, (output.Logits.Size(2), output.Logits.Size(3)), InterpolationMode.Bilinear);
    }

    [Fact]
    public void BadValuesAndAShallowStudentFailBeforeTraining()
    {
        Assert.Contains("one of all, foreground", Assert.ThrowsAny<ArgumentException>(() => SelfKdBatch.Create("dskd", 2, options: ("dice", "squared"))).Message);
        Assert.Contains("one of target-student, student-target", Assert.ThrowsAny<ArgumentException>(() => SelfKdBatch.Create("dskd", 2, options: ("kl", "js"))).Message);
        Assert.Contains("depth 2 or more", Assert.Throws<MethodRequirementException>(() => SelfKdBatch.Create("dskd", 2, depth: 1, ("grid", "2"), ("last-side", "main"))).Message);
    }
}
