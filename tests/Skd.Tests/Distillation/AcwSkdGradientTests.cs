using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>
/// Where each ACW-SKD term sends gradient: stop-gradient targets receive none, the temperature
/// receives exactly −λ times its plain gradient, the student learns from every distillation term.
/// </summary>
public class AcwSkdGradientTests
{
    /// <summary>Top-level parts (student, aux_head, frm, ...) with a non-zero gradient after <paramref name="term"/>'s backward.</summary>
    private static string[] PartsReached(AcwSkdMethod method, Tensor term)
    {
        method.ZeroGrad();
        term.Backward(retainGraph: true);
        using var scope = new DisposeScope();
        return method.NamedParameters().Where(p => p.Parameter.Grad is { } g && g.Abs().Max().Item() > 0)
            .Select(p => p.Name[..p.Name.IndexOf('.')]).Distinct().Order().ToArray();
    }

    [Theory]
    [InlineData("own", "label", "attached")]
    [InlineData("shared", "label", "attached")]
    [InlineData("own", "aux", "attached")]
    [InlineData("own", "label", "detached")]
    [InlineData("own", "aux", "detached")]
    [InlineData("residual", "label", "detached")]
    [InlineData("residual", "label", "attached")]
    public void EachTermReachesExactlyItsParts(string frmHead, string mask, string frmInput)
    {
        using var scope = new DisposeScope();
        // Seeded: at width 4 an unlucky draw can leave every hidden unit of the projector dead for all
        // prototypes, and then no class-wise gradient reaches the student (the test order set the draw).
        torch.ManualSeed(1);
        using var method = Create(new() { ["frm-head"] = frmHead, ["cw-mask"] = mask, ["frm-input"] = frmInput, ["adversarial"] = "on", ["cw-projector"] = "on" });
        TrainFrm(method);
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(15, 20, 0, 1));
        string[] selfTeacher = (frmHead, frmInput) switch
        {
            ("own" or "residual", "attached") => ["frm", "frm_head", "student"],
            // residual: the student's head runs with detached weights, so only the teacher's parts learn.
            ("own" or "residual", _) => ["frm", "frm_head"],
            _ => ["frm", "student"],
        };
        Assert.Equal(["student"], PartsReached(method, terms.Segmentation));
        Assert.Equal(["aux_head", "student"], PartsReached(method, terms.Auxiliary!));
        // L_seg(Z_t) trains the FRM and h_t; attached, it reaches the student through F; detached (sg F), it does not.
        Assert.Equal(selfTeacher, PartsReached(method, terms.SelfTeacher!));
        // sg(Z_t): neither the FRM nor the teacher's head learns from KD; the temperature does (reversed).
        Assert.Equal(["student", "temperature"], PartsReached(method, terms.Kd!));
        // sg(F̂) and a detached mask: the class-wise terms train the student and its projector only.
        Assert.Equal(["cw_projector", "student"], PartsReached(method, terms.ClassWise!));
        Assert.Equal(["cw_projector", "student"], PartsReached(method, terms.Relation!));
    }

    [Fact]
    public void ADetachedFrmInputKeepsTheSelfTeachersLossOffEveryStudentParameter()
    {
        using var scope = new DisposeScope();
        // With the shared head the self-teacher's loss still trains that head (student.outc), and nothing else of the student.
        using var method = Create(new() { ["frm-head"] = "shared", ["frm-input"] = "detached" });
        TrainFrm(method);
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(15, 20, 0, 1));
        method.ZeroGrad();
        terms.SelfTeacher!.Backward();
        var reached = method.NamedParameters().Where(p => p.Parameter.Grad is { } g && g.Abs().Max().Item() > 0).Select(p => p.Name)
            .Where(name => name.StartsWith("student.", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(["student.outc.conv.bias", "student.outc.conv.weight"], reached);
    }

    /// <summary>Gives the zero-initialised FRM a non-zero last γ, as training does, so that F̂ ≠ F and every path carries gradient.</summary>
    private static void TrainFrm(AcwSkdMethod method)
    {
        using var noGrad = torch.NoGrad();
        method.NamedParameters().Single(p => p.Name == "frm.block.4.weight").Parameter.Fill_(0.5);
    }

    [Theory]
    [InlineData("detached")]
    [InlineData("attached")]
    public void TheFeatureTermTrainsTheStudentTowardsTheFrmsOutputAndNotTheFrm(string frmInput)
    {
        using var scope = new DisposeScope();
        using var method = Create(new() { ["feature-weight"] = "2", ["frm-input"] = frmInput });
        var images = torch.Randn(2, 1, 16, 16);
        var labels = torch.RandInt(0, 3, [2, 16, 16]);
        // At the FRM's zero initialisation F̂ = F: nothing to distil yet.
        Assert.True(method.Terms(images, labels, new TrainingStep(15, 20, 0, 1)).Feature!.Item() < 1e-12);
        TrainFrm(method);
        var terms = method.Terms(images, labels, new TrainingStep(15, 20, 0, 1));
        Assert.True(terms.Feature!.Item() > 0);
        // sg F̂: the term trains the student's F only, whether the FRM reads F or sg F.
        Assert.Equal(["student"], PartsReached(method, terms.Feature));
        // Off by default: not computed, and no "feature" term in the loss.
        using var plain = Create();
        Assert.Null(plain.Terms(images, labels, new TrainingStep(15, 20, 0, 1)).Feature);
        Assert.DoesNotContain(plain.Loss(images, labels, new TrainingStep(15, 20, 0, 1)).Terms, t => t.Key == "feature");
        // Ramped in as KD is (kd-weight 1 here): weight 0 in the warm-up, then twice KD's weight.
        Assert.Equal(0, method.FeatureWeight(new TrainingStep(2, 20, 0, 1)));
        foreach (int epoch in new[] { 8, 15, 19 })
            Assert.Equal(2 * method.KdWeight(new TrainingStep(epoch, 20, 0, 1)), method.FeatureWeight(new TrainingStep(epoch, 20, 0, 1)), 12);
    }

    [Fact]
    public void WithoutFrmTheAuxiliaryHeadTeachesAndGetsNoKdGradient()
    {
        using var scope = new DisposeScope();
        using var method = Create(new() { ["frm"] = "off", ["class-wise"] = "off", ["adversarial"] = "on" });
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(15, 20, 0, 1));
        Assert.Null(terms.SelfTeacher);
        Assert.Null(terms.ClassWise);
        Assert.Equal(["student", "temperature"], PartsReached(method, terms.Kd!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void TheFrmStartsAsTheIdentityInFsSpace(int widthMultiplier)
    {
        using var scope = new DisposeScope();
        using var frm = new FeatureReconstruction(4, widthMultiplier);
        var bn = frm.NamedParameters().Single(p => p.Name == "block.4.weight").Parameter;
        Assert.Equal(0.0, bn.Abs().Max().Item());
        var features = torch.Randn(2, 4, 8, 8).Relu();   // F is a ReLU output
        Assert.Equal(0.0, MaxAbsDiff(frm.Forward(features), features));
        // Whatever its weights, F̂ ends in ReLU: never negative.
        using (torch.NoGrad()) bn.Fill_(3);
        Assert.True(frm.Forward(features).Min().Item() >= 0);

        // At initialisation the self-teacher's prototypes are the student's: the class-wise terms start at 0.
        using var method = Create();
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(15, 20, 0, 1));
        Assert.True(terms.ClassWise!.Item() < 1e-10, $"cw = {terms.ClassWise.Item()}");
        Assert.True(terms.Relation!.Item() < 1e-10, $"relation = {terms.Relation.Item()}");
    }

    [Fact]
    public void TheTemperatureTrainsInItsOwnSgdGroup()
    {
        using var global = Create(new() { ["adversarial"] = "on", ["tau-lr"] = "0.2" });
        var group = Assert.Single(global.OwnParamGroups());
        Assert.Equal(("temperature", 0.2, 0.9, 5e-4), (group.Name, group.LearningRate, group.Momentum, group.WeightDecay));
        Assert.Same(global.NamedParameters().Single(p => p.Name == "temperature.theta").Parameter, Assert.Single(group.Parameters));
        using var perImage = Create(new() { ["adversarial"] = "on", ["temperature"] = "per-image" });
        Assert.Equal(perImage.NamedParameters().Where(p => p.Name.StartsWith("temperature.", StringComparison.Ordinal)).Select(p => p.Parameter),
            Assert.Single(perImage.OwnParamGroups()).Parameters);
    }

    public static TheoryData<string> TemperatureKinds => ["global", "per-image"];

    [Theory]
    [MemberData(nameof(TemperatureKinds))]
    public void TemperatureGradientIsMinusLambdaTimesThePlainOne(string kind)
    {
        using var scope = new DisposeScope();
        using TemperatureModule module = kind == "global" ? new GlobalTemperature(1, 20) : new PerImageTemperature(3, 1, 20);
        module.To(DType.Float64);
        if (module is GlobalTemperature global)
            using (torch.NoGrad()) global.Parameter.Fill_(0.7);
        var student = torch.Randn([2, 3, 6, 6], DType.Float64).RequiresGrad_();
        var teacher = torch.Randn([2, 3, 6, 6], DType.Float64);
        const double lambda = 0.37;

        var (reversedGrads, studentReversed) = Gradients(module.Temperature(teacher, student.Detach(), lambda));
        var (plainGrads, studentPlain) = Gradients(module.Theta(teacher, student.Detach()).Sigmoid() * module.Range + module.Minimum);
        Assert.Equal(plainGrads.Count, reversedGrads.Count);
        Assert.True(plainGrads.All(g => g.Abs().Max().Item() > 0));
        for (int i = 0; i < plainGrads.Count; i++)
            Assert.True(MaxAbsDiff(reversedGrads[i], plainGrads[i] * -lambda) < 1e-14, $"parameter {i}");
        Assert.Equal(0, MaxAbsDiff(studentReversed, studentPlain));   // the student's own gradient is not reversed

        (List<Tensor>, Tensor) Gradients(Tensor tau)
        {
            module.ZeroGrad();
            student.Grad = null;
            PixelKdLoss.Compute(student, teacher, tau).Backward();
            return (module.Parameters().Select(p => p.Grad!.Clone()).ToList(), student.Grad!.Clone());
        }
    }

    [Fact]
    public void ReversalStrengthRisesAlongHalfACosine()
    {
        var ramp = new CosineRamp(Maximum: 2, Epochs: 10);
        Assert.Equal(0, ramp.At(0));
        Assert.Equal(1, ramp.At(5), 12);
        Assert.Equal(2, ramp.At(10), 12);
        Assert.Equal(2, ramp.At(25), 12);
        Assert.Equal(2 * (1 - Math.Cos(Math.PI * 0.25)) / 2, ramp.At(new TrainingStep(2, 20, 5, 10)), 12);   // epoch 2.5 of 10
        Assert.Equal(3, new CosineRamp(3, 0).At(0));
        // In the method λ starts at the end of the warm-up, E_w = 8·1/4 = 2: epoch 4 is 2 epochs into a 4-epoch ramp.
        using var method = Create(new() { ["lambda-max"] = "0.5", ["lambda-epochs"] = "4", ["warmup"] = "1/4" });
        Assert.Equal(0, method.ReversalStrength(new TrainingStep(1, 8, 99, 100)));
        Assert.Equal(0, method.ReversalStrength(new TrainingStep(2, 8, 0, 100)));
        Assert.Equal(0.25, method.ReversalStrength(new TrainingStep(4, 8, 0, 100)), 12);
        Assert.Equal(0.5, method.ReversalStrength(new TrainingStep(7, 8, 0, 100)), 12);
        using var instant = Create(new() { ["lambda-epochs"] = "0", ["warmup"] = "1/4" });
        Assert.Equal(0, instant.ReversalStrength(new TrainingStep(1, 8, 0, 1)));   // not before E_w, even with no ramp
        Assert.Equal(1, instant.ReversalStrength(new TrainingStep(2, 8, 0, 1)));
    }

    [Fact]
    public void DistillationWeightsAreZeroBeforeTheWarmUpEndsThenTheSigmoidRamp()
    {
        var schedule = new DistillationSchedule(WarmupFraction: 0.25);   // E = 20: E_w = 5
        Assert.Equal(5, schedule.WarmupEpochs(20));
        Assert.Equal(0, schedule.Weight(1, 0, 20));
        Assert.Equal(0, schedule.Weight(1, 4.999, 20));
        Assert.Equal(Math.Exp(-5), schedule.Weight(1, 5, 20), 15);
        Assert.Equal(0.1 * Math.Exp(-5 * 0.25), schedule.Weight(0.1, 12.5, 20), 15);   // r = 1/2
        Assert.Equal(2, schedule.Weight(2, 20, 20), 15);
        Assert.Equal(Math.Exp(-5 * 0.75 * 0.75), schedule.Weight(1, new TrainingStep(8, 20, 3, 4)), 15);   // e = 8.75: r = 1/4

        // The method's defaults: E_w = E/3, w_kd = 1, w_cw = 0.1, on the fractional epoch.
        using var method = Create();
        var beforeWarmUp = new TrainingStep(6, 20, 6, 10);   // e = 6.6 < 20/3
        Assert.Equal((0.0, 0.0), (method.KdWeight(beforeWarmUp), method.CwWeight(beforeWarmUp)));
        var after = new TrainingStep(10, 20, 0, 10);
        double r = (10 - 20 / 3.0) / (20 - 20 / 3.0);
        Assert.Equal(Math.Exp(-5 * (1 - r) * (1 - r)), method.KdWeight(after), 12);
        Assert.Equal(0.1 * Math.Exp(-5 * (1 - r) * (1 - r)), method.CwWeight(after), 12);
        using var noClassWise = Create(new() { ["class-wise"] = "off" });
        Assert.Equal(0, noClassWise.CwWeight(after));
        using var noWarmUp = Create(new() { ["warmup"] = "0" });
        Assert.Equal(Math.Exp(-5), noWarmUp.KdWeight(new TrainingStep(0, 20, 0, 10)), 15);
    }
}
