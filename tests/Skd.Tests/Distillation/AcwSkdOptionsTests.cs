using Skd.Distillation;
using Skd.Models;
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
        Assert.Equal(["aux_head", "frm", "prototype_frm", "temperature"], Parts(all));
        Assert.Contains("temperature.theta", all);
        Assert.Contains("aux_head.layers.0.weight", all);

        Assert.Equal(["frm", "prototype_frm", "temperature"], Parts(Trainable(new() { ["aux-head"] = "off" })));
        Assert.Equal(["aux_head", "temperature"], Parts(Trainable(new() { ["frm"] = "off" })));
        Assert.Equal(["aux_head", "frm", "temperature"], Parts(Trainable(new() { ["class-wise"] = "off" })));
        Assert.Equal(["aux_head", "frm", "prototype_frm"], Parts(Trainable(new() { ["adversarial"] = "off" })));
        Assert.Equal(["aux_head", "frm", "frm_head", "prototype_frm", "temperature"], Parts(Trainable(new() { ["frm-head"] = "own" })));

        var perImage = Trainable(new() { ["temperature"] = "per-image" });
        Assert.DoesNotContain("temperature.theta", perImage);
        Assert.Contains("temperature.conv.weight", perImage);
        Assert.Contains("temperature.fc.weight", perImage);

        // On F the auxiliary head reads w channels, on the previous stage 2w.
        using var onF = Create(new() { ["aux-stage"] = "penultimate" });
        using var previous = Create();
        Assert.Equal([4L, 4, 3, 3], onF.NamedParameters().Single(p => p.Name == "aux_head.layers.0.weight").Parameter.Shape);
        Assert.Equal([8L, 8, 3, 3], previous.NamedParameters().Single(p => p.Name == "aux_head.layers.0.weight").Parameter.Shape);
    }

    [Theory]
    [InlineData("temperature", "local", "one of global, per-image")]
    [InlineData("aux-head", "maybe", "on/off")]
    [InlineData("aux-stage", "first", "one of previous, penultimate")]
    [InlineData("frm-head", "both", "one of shared, own")]
    [InlineData("tau-min", "0", "must be positive")]
    [InlineData("fixed-temperature", "-4", "must be positive")]
    [InlineData("tau-range", "-1", "must be zero or more")]
    [InlineData("lambda-epochs", "-2", "must be zero or more")]
    [InlineData("kd-weight", "x", "a number")]
    [InlineData("no-such-option", "1", "has no option")]
    public void BadOptionsFailWithTheirName(string name, string value, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Create(new() { [name] = value }));
        Assert.Contains(expected, e.Message);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void ImpossibleCombinationsAreRequirementErrors()
    {
        var noTeacher = Assert.Throws<MethodRequirementException>(() => Create(new() { ["aux-head"] = "off", ["frm"] = "off" }));
        Assert.Contains("self-teacher", noTeacher.Message);
        var shallow = new UNetConfig(1, 3, Width: 4, Depth: 1);
        Assert.Contains("aux-stage=penultimate", Assert.Throws<MethodRequirementException>(() => Create(student: shallow)).Message);
        using var onF = Create(new() { ["aux-stage"] = "penultimate" }, shallow);
        Assert.Equal(1, onF.Student.Config.Depth);
        Assert.Throws<MethodRequirementException>(() => Methods.Create("acw-skd", Tiny, teacherPath: "teacher.safetensors"));
    }
}
