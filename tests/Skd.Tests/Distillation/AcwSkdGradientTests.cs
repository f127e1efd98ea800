using Skd.Distillation;
using Skd.Distillation.Parts;
using Skd.Losses;
using Skd.Torch;
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
    [InlineData("shared")]
    [InlineData("own")]
    public void EachTermReachesExactlyItsParts(string frmHead)
    {
        using var scope = new DisposeScope();
        using var method = Create(new() { ["frm-head"] = frmHead });
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(5, 20, 0, 1));
        string[] selfTeacher = frmHead == "own" ? ["frm", "frm_head", "student"] : ["frm", "student"];
        Assert.Equal(["student"], PartsReached(method, terms.Segmentation));
        Assert.Equal(["aux_head", "student"], PartsReached(method, terms.Auxiliary!));
        Assert.Equal(selfTeacher, PartsReached(method, terms.SelfTeacher!));
        // sg(Z_t): the self-teacher learns nothing from KD; the temperature does (reversed).
        Assert.Equal(["student", "temperature"], PartsReached(method, terms.Kd));
        // sg(f̂) and the detached mask: neither the FRMs nor the auxiliary head learn from the class-wise terms.
        Assert.Equal(["student"], PartsReached(method, terms.ClassWise!));
        Assert.Equal(["student"], PartsReached(method, terms.Relation!));
        // The reconstruction term trains the prototype FRM alone.
        Assert.Equal(["prototype_frm"], PartsReached(method, terms.Reconstruction!));
    }

    [Fact]
    public void WithoutFrmTheAuxiliaryHeadTeachesAndGetsNoKdGradient()
    {
        using var scope = new DisposeScope();
        using var method = Create(new() { ["frm"] = "off" });
        var terms = method.Terms(torch.Randn(2, 1, 16, 16), torch.RandInt(0, 3, [2, 16, 16]), new TrainingStep(5, 20, 0, 1));
        Assert.Null(terms.SelfTeacher);
        Assert.Null(terms.Reconstruction);
        Assert.Equal(["student", "temperature"], PartsReached(method, terms.Kd));
        Assert.Equal(["student"], PartsReached(method, terms.ClassWise!));
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
        using var method = Create(new() { ["lambda-max"] = "0.5", ["lambda-epochs"] = "4" });
        Assert.Equal(0.25, method.ReversalStrength(new TrainingStep(2, 8, 0, 100)), 12);
    }
}
