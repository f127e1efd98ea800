using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>
/// The whole ACW-SKD loss against the method rebuilt in PyTorch (Fixtures/make_acw_skd_fixtures.py,
/// three configurations, the same float64 weights, a step after the warm-up): every weighted term, the
/// schedule's weights and λ, the total, τ, and the gradient of the total with respect to every parameter
/// (so every stop-gradient and the reversal sit where PyTorch has them).
/// </summary>
public class AcwSkdMethodTests
{
    public static TheoryData<int> Cases => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Cases))]
    public void TermsTotalAndGradientsMatchPyTorch(int index)
    {
        var fx = Root.GetProperty("methods")[index];
        using var scope = new DisposeScope();
        using var method = Create(Options(fx.GetProperty("options")));
        method.To(DType.Float64);
        method.LoadStateDict(State(fx.GetProperty("state")));
        var step = Step(fx.GetProperty("step"));
        Assert.Equal(fx.GetProperty("lambda").GetDouble(), method.ReversalStrength(step), 12);
        Assert.Equal(fx.GetProperty("kd_weight").GetDouble(), method.KdWeight(step), 12);
        Assert.Equal(fx.GetProperty("cw_weight").GetDouble(), method.CwWeight(step), 12);

        var loss = method.Loss(Double(fx.GetProperty("x")), Long(fx.GetProperty("labels")), step);
        var expected = fx.GetProperty("terms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var values = loss.Values().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(expected.Keys.Order(), values.Keys.Order());
        foreach (var (name, value) in expected) Assert.True(Math.Abs(value - values[name]) < 1e-10, $"{name}: {values[name]} vs PyTorch {value}");
        Assert.Equal(fx.GetProperty("total").GetDouble(), loss.Total.Item(), 10);
        Assert.Equal(fx.GetProperty("temperature").GetDouble(), Tau(loss), 10);

        loss.Total.Backward();
        var grads = fx.GetProperty("grads");
        Assert.Equal(grads.EnumerateObject().Select(p => p.Name).Order(), method.NamedParameters().Select(p => p.Name).Order());
        foreach (var (name, parameter) in method.NamedParameters())
        {
            Assert.NotNull(parameter.Grad);
            double diff = MaxAbsDiff(Double(grads.GetProperty(name)), parameter.Grad!);
            Assert.True(diff < 1e-9, $"gradient of {name} differs from PyTorch's by {diff}");
        }
    }

    [Fact]
    public void TermsSumToTheTotalAndTheWarmUpHasNoDistillationTerm()
    {
        using var scope = new DisposeScope();
        using var method = Create(new Dictionary<string, string> { ["kd-weight"] = "2", ["cw-weight"] = "0.5", ["relation-weight"] = "3", ["adversarial"] = "on" });
        var images = torch.Randn(2, 1, 16, 16);
        var labels = torch.RandInt(0, 3, [2, 16, 16]);
        var warmUp = method.Loss(images, labels, new TrainingStep(3, 10, 0, 1));   // E_w = 10/3
        Assert.Equal(["seg", "aux", "self_teacher"], warmUp.Terms.Select(t => t.Key));
        Assert.Equal([("seg", 1), ("aux", 0.4), ("self_teacher", 1), ("kd", 0), ("cw", 0), ("relation", 0)], warmUp.Weights.Select(w => (w.Key, w.Value)));
        Assert.Empty(warmUp.ScalarValues());   // no KD yet, so no learned τ
        var loss = method.Loss(images, labels, new TrainingStep(4, 10, 0, 1));
        Assert.Equal(["seg", "aux", "self_teacher", "kd", "cw", "relation"], loss.Terms.Select(t => t.Key));
        Assert.Equal(loss.Total.Item(), loss.Values().Sum(kv => kv.Value), 5);
        Assert.Equal(3.0, Tau(loss), 5);   // θ = 0: τ = 1 + 4·σ(0)
        double ramp = method.KdWeight(new TrainingStep(4, 10, 0, 1)) / 2;   // the schedule's factor at this step
        Assert.Equal([2 * ramp, 0.5 * ramp, 0.5 * 3 * ramp], loss.Weights.Skip(3).Select(w => w.Value));
        using var fixedTau = Create(new Dictionary<string, string> { ["fixed-temperature"] = "4" });
        Assert.Equal(4.0, Tau(fixedTau.Loss(images, labels, new TrainingStep(0, 10, 0, 1))));   // a fixed τ shows during the warm-up too
        using var defaults = Create();
        Assert.Equal(1.0, Tau(defaults.Loss(images, labels, new TrainingStep(9, 10, 0, 1))));
        Assert.Empty(defaults.OwnParamGroups());
    }

    [Fact]
    public void StudentStateDictIsAPlainUNets()
    {
        using var method = Create(new Dictionary<string, string> { ["adversarial"] = "on", ["temperature"] = "per-image", ["cw-projector"] = "on" });
        using var plain = new UNet(Tiny);
        var unetKeys = plain.StateDict().Select(kv => kv.Key).ToList();
        Assert.Equal(unetKeys, method.Student.StateDict().Select(kv => kv.Key));
        Assert.Equal(unetKeys, ModelFile.StudentWeights(method.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value)).Keys);
        var extras = method.StateDict().Select(kv => kv.Key).Where(k => !k.StartsWith(RunLayout.StudentPrefix, StringComparison.Ordinal))
            .Select(k => k[..k.IndexOf('.')]).Distinct();
        Assert.Equal(["aux_head", "frm", "frm_head", "cw_projector", "temperature"], extras);
        Assert.Contains(Methods.All, m => m.Name == "acw-skd");
    }

    [Fact]
    public void TheSelfTeacherStartsAsTheStudentAndIsTheAuxiliaryHeadWithoutFrm()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(3);
        var images = torch.Randn(2, 1, 16, 16);
        using var shared = Create(new Dictionary<string, string> { ["frm-head"] = "shared" });
        shared.Eval();
        // The zero-initialised FRM gives F̂ = F, and the shared head then gives the student's logits.
        Assert.Equal(0, MaxAbsDiff(shared.SelfTeacherLogits!(images), shared.Student.Logits(images)));
        // frm-head=residual: the student's head plus a zero-initialised conv, so the same logits at the start.
        using var residual = Create(new Dictionary<string, string> { ["frm-head"] = "residual" });
        residual.Eval();
        Assert.Equal(0, MaxAbsDiff(residual.SelfTeacherLogits!(images), residual.Student.Logits(images)));

        using var auxiliaryTeacher = Create(new Dictionary<string, string> { ["frm"] = "off", ["class-wise"] = "off" });
        auxiliaryTeacher.Eval();
        var teacher = auxiliaryTeacher.SelfTeacherLogits!(images);
        Assert.Equal([2, 3, 16, 16], teacher.Shape);
        // frm=off: the KD teacher is the auxiliary head, so its logits are what KD distils from.
        Assert.Equal(0, MaxAbsDiff(teacher, PixelKdTeacher(auxiliaryTeacher, images)));
    }

    /// <summary>The auxiliary head's upsampled logits on the decoder stage before F, computed apart from the method.</summary>
    private static Tensor PixelKdTeacher(AcwSkdMethod method, Tensor images)
    {
        var output = method.Student.Forward(images);
        var head = (Skd.Distillation.Parts.AuxiliaryHead)method.NamedChildren().Single(c => c.Name == "aux_head").Module;
        return head.Forward((output.DecoderFeatures[^2], (16, 16)));
    }

    private static double Tau(MethodLoss loss) => loss.ScalarValues().Single(s => s.Key == "tau").Value;
}
