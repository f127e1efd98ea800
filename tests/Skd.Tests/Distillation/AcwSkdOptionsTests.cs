using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>ACW-SKD's switches change which parts exist and train; bad options fail before anything trains.</summary>
public class AcwSkdOptionsTests
{
    private static HashSet<string> Trainable(Dictionary<string, string>? options = null)
    {
        using var method = Create(options);
        var names = method.NamedParameters().Where(p => p.Parameter.RequiresGrad).Select(p => p.Name).ToHashSet();
        Assert.Equal(names.Count, method.TrainableParameters().Count());
        return names;
    }

    private static IEnumerable<string> Parts(HashSet<string> names) =>
        names.Where(n => !n.StartsWith("student.", StringComparison.Ordinal)).Select(n => n[..n.IndexOf('.')]).Distinct().Order();

    [Fact]
    public void EachSwitchChangesTheTrainableParameters()
    {
        var all = Trainable();
        Assert.Equal(["aux_head", "frm", "frm_head"], Parts(all));
        Assert.Contains("aux_head.layers.0.weight", all);

        Assert.Equal(["frm", "frm_head"], Parts(Trainable(new() { ["aux-head"] = "off" })));
        Assert.Equal(["aux_head"], Parts(Trainable(new() { ["frm"] = "off", ["class-wise"] = "off" })));
        Assert.Equal(["aux_head", "frm", "frm_head"], Parts(Trainable(new() { ["class-wise"] = "off" })));
        Assert.Equal(["aux_head", "frm", "frm_head", "temperature"], Parts(Trainable(new() { ["adversarial"] = "on" })));
        Assert.Equal(["aux_head", "frm"], Parts(Trainable(new() { ["frm-head"] = "shared" })));
        Assert.Equal(["aux_head", "cw_projector", "frm", "frm_head"], Parts(Trainable(new() { ["cw-projector"] = "on" })));
        Assert.Contains("temperature.theta", Trainable(new() { ["adversarial"] = "on" }));

        var perImage = Trainable(new() { ["adversarial"] = "on", ["temperature"] = "per-image" });
        Assert.DoesNotContain("temperature.theta", perImage);
        Assert.Contains("temperature.conv.weight", perImage);
        Assert.Contains("temperature.fc.weight", perImage);

        // On F the auxiliary head reads w channels, on the previous stage 2w.
        using var onF = Create(new() { ["aux-stage"] = "penultimate" });
        using var previous = Create();
        Assert.Equal([4L, 4, 3, 3], onF.NamedParameters().Single(p => p.Name == "aux_head.layers.0.weight").Parameter.Shape);
        Assert.Equal([8L, 8, 3, 3], previous.NamedParameters().Single(p => p.Name == "aux_head.layers.0.weight").Parameter.Shape);
    }

    [Fact]
    public void FrmWidthWidensTheHiddenLayerOnly()
    {
        // The student is 4 wide: frm-width=3 gives the residual block 12 hidden channels, and F̂ keeps F's 4.
        using var wide = Create(new() { ["frm-width"] = "3" });
        var shapes = wide.NamedParameters().Where(p => p.Name.StartsWith("frm.", StringComparison.Ordinal)).ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal([12L, 4, 3, 3], shapes["frm.block.0.weight"]);
        Assert.Equal([12L], shapes["frm.block.1.weight"]);
        Assert.Equal([4L, 12, 3, 3], shapes["frm.block.3.weight"]);
        Assert.Equal([4L], shapes["frm.block.4.weight"]);
        Assert.Equal(1, Create().Settings.FrmWidth);
    }

    [Fact]
    public void DefaultsAreTheSecondDesigns()
    {
        using var method = Create();
        var s = method.Settings;
        Assert.Equal((0.4, SelfTeacherHead.Residual, ClassMaskSource.Label, false, false, 1.0), (s.AuxiliaryWeight, s.FrmHead, s.Mask, s.Projector, s.Adversarial, s.FixedTemperature));
        Assert.Equal((1.0, 4.0, 1.0, 0.1, 1.0 / 3), (s.TauMin, s.TauRange, s.KdWeight, s.CwWeight, s.Schedule.WarmupFraction));
        Assert.Equal(new CosineRamp(1, 10), s.ReversalRamp);
        Assert.Equal(0.5, Create(new() { ["warmup"] = "0.5" }).Settings.Schedule.WarmupFraction);
        Assert.Equal(2 / 3.0, Create(new() { ["warmup"] = "2/3" }).Settings.Schedule.WarmupFraction);
    }

    [Theory]
    [InlineData("temperature", "local", "one of global, per-image")]
    [InlineData("aux-head", "maybe", "on/off")]
    [InlineData("aux-stage", "first", "one of previous, penultimate")]
    [InlineData("frm-head", "both", "one of residual, own, shared")]
    [InlineData("cw-mask", "soft", "one of label, aux")]
    [InlineData("tau-min", "0", "must be positive")]
    [InlineData("fixed-temperature", "-4", "must be positive")]
    [InlineData("tau-range", "-1", "must be zero or more")]
    [InlineData("lambda-epochs", "-2", "must be zero or more")]
    [InlineData("warmup", "1", "fraction in [0, 1)")]
    [InlineData("warmup", "1/0", "fraction in [0, 1)")]
    [InlineData("warmup", "third", "fraction in [0, 1)")]
    [InlineData("kd-weight", "x", "a number")]
    [InlineData("frm-width", "0", "from 1 to 16")]
    [InlineData("frm-width", "17", "from 1 to 16")]
    [InlineData("frm-width", "2.5", "an integer")]
    [InlineData("reconstruction-weight", "1", "has no option")]
    public void BadOptionsFailWithTheirName(string name, string value, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Create(new() { [name] = value }));
        Assert.Contains(expected, e.Message);
        Assert.Contains(name, e.Message);
    }

    [Theory]
    [InlineData("aux-head=off,frm=off", "self-teacher")]
    [InlineData("frm=off", "class-wise=off")]
    [InlineData("frm=off,class-wise=off,feature-weight=1", "feature-weight")]
    [InlineData("class-wise=off,cw-projector=on", "cw-projector")]
    [InlineData("aux-head=off,cw-mask=aux", "aux-head=on")]
    [InlineData("cw-mask=aux,warmup=0", "warm-up")]
    public void ImpossibleCombinationsAreRequirementErrors(string options, string expected)
    {
        var given = options.Split(',').Select(o => o.Split('=')).ToDictionary(o => o[0], o => o[1]);
        Assert.Contains(expected, Assert.Throws<MethodRequirementException>(() => Create(given)).Message);
    }

    [Fact]
    public void AShallowStudentNeedsTheAuxiliaryHeadOnF()
    {
        var shallow = new UNetConfig(1, 3, Width: 4, Depth: 1);
        Assert.Contains("aux-stage=penultimate", Assert.Throws<MethodRequirementException>(() => Create(student: shallow)).Message);
        using var onF = Create(new() { ["aux-stage"] = "penultimate" }, shallow);
        Assert.Equal(1, onF.Student.Config.Depth);
        Assert.Throws<MethodRequirementException>(() => Methods.Create("acw-skd", Tiny, teacherPath: "teacher.safetensors"));
    }
}
