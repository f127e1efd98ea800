using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>ACW-SKD's training-only rows: their parameters are the allocated parts', their MACs follow CostWalk's convention.</summary>
public class AcwSkdProfileTests
{
    public static TheoryData<string> Configurations =>
    [
        "",
        "frm-head=shared,adversarial=on,temperature=per-image,aux-stage=penultimate,cw-projector=on",
        "aux-head=off",
        "frm=off,class-wise=off",
        "class-wise=off,adversarial=on",
    ];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void RowParametersAreTheRealParts(string options)
    {
        var given = options.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(o => o.Split('=')).ToDictionary(o => o[0], o => o[1]);
        using var method = Create(given, new UNetConfig(InChannels: 2, Classes: 5, Width: 6, Depth: 3));
        var rows = method.TrainingOnlyProfile(32).ToList();
        foreach (var row in rows)
            Assert.Equal(method.NamedParameters().Where(p => p.Name.StartsWith(row.Name + ".", StringComparison.Ordinal)).Sum(p => p.Parameter.NumElements), row.Parameters);
        var parts = method.NamedParameters().Select(p => p.Name[..p.Name.IndexOf('.')]).Where(n => n != "student").Distinct();
        Assert.Subset(rows.Select(r => r.Name).ToHashSet(), parts.ToHashSet());
        var profile = method.Profile(32);
        Assert.Equal(method.ParameterCount, profile.TrainingParameters);
        Assert.Equal(method.Student.ParameterCount, profile.Parameters);
        Assert.Equal(method.Student.Profile(32).Macs, profile.Macs);
        Assert.All(profile.Rows.Skip(method.Student.Profile(32).Rows.Count), r => Assert.True(r.TrainingOnly));
    }

    [Fact]
    public void MacsByHand()
    {
        // Tiny student (w = 4, K = 3, depth 2) at 16×16: the previous decoder stage has 8 channels at 8×8.
        using var method = Create(new() { ["adversarial"] = "on", ["cw-projector"] = "on", ["frm-head"] = "shared" });
        var macs = method.TrainingOnlyProfile(16).ToDictionary(r => r.Name, r => r.Macs);
        Assert.Equal(8L * 8 * 8 * 8 * 9 + 8 * 8 * 3 * 8, macs["aux_head"]);
        Assert.Equal(2L * 16 * 16 * 4 * 4 * 9, macs["frm"]);
        Assert.Equal(16L * 16 * 3 * 4, macs["frm_head"]);       // the shared head's second pass
        Assert.Equal(2L * 3 * 4 * 4, macs["cw_projector"]);     // two C×C linears per class prototype
        Assert.Equal(0, macs["temperature"]);                   // one scalar
        using var perImage = Create(new() { ["adversarial"] = "on", ["temperature"] = "per-image" });
        Assert.Equal(16L * 16 * 16 * 6 * 9 + 16, perImage.TrainingOnlyProfile(16).Single(r => r.Name == "temperature").Macs);
        Assert.Throws<ArgumentException>(() => method.TrainingOnlyProfile(10).ToList());
    }
}
