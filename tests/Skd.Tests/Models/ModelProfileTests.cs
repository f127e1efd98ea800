namespace Skd.Tests.Models;

/// <summary>
/// The profile walked from the module tree against a brute-force count: forward hooks on every conv of
/// the running PyTorch U-Net (Fixtures/make_unet_fixture.py), and the parameter tensors of the network.
/// </summary>
public class ModelProfileTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "unet_reference.json"))).RootElement;

    [Fact]
    public void MacsPerStageMatchHooksOnTheRunningNetwork()
    {
        foreach (var p in Fx.GetProperty("profiles").EnumerateArray())
        {
            var config = new UNetConfig(p.GetProperty("in_channels").GetInt32(), p.GetProperty("classes").GetInt32(),
                p.GetProperty("width").GetInt32(), p.GetProperty("depth").GetInt32());
            using var net = new UNet(config);
            var profile = net.Profile(p.GetProperty("size").GetInt64());
            var expected = p.GetProperty("macs").EnumerateObject().Select(s => (s.Name, s.Value.GetInt64()));
            Assert.Equal(expected, profile.Rows.Select(r => (r.Name, r.Macs)));
            Assert.Equal(p.GetProperty("parameters").GetInt64(), profile.Parameters);
        }
    }

    [Theory]
    [InlineData(1, 2, 16, 4)]
    [InlineData(3, 9, 8, 1)]
    [InlineData(4, 5, 6, 3)]
    public void ParametersMatchTheAllocatedNetwork(int inChannels, int classes, int width, int depth)
    {
        using var net = new UNet(new UNetConfig(inChannels, classes, width, depth));
        Assert.Equal(net.Parameters().Sum(p => p.NumElements), net.Profile(64).Parameters);
    }

    public static TheoryData<string, int, int> MethodsWidthsAndDepths()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var method in Methods.All.Where(m => !m.NeedsTeacher))
            foreach (var (width, depth) in new[] { (3, 2), (8, 3), (5, 4) })
                data.Add(method.Name, width, depth);
        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsWidthsAndDepths))]
    public void TheWalkCountsEveryParameterTensorOfEveryMethodsStudent(string name, int width, int depth)
    {
        using var method = Methods.Create(name, new UNetConfig(2, 3, width, depth));
        var profile = method.Profile(1L << depth);
        Assert.Equal(method.Student.Parameters().Sum(p => p.NumElements), profile.Parameters);
        Assert.Equal(method.TrainableParameters().Sum(p => p.NumElements), profile.TrainingParameters);
    }

    [Fact]
    public void FullWidthUNetCounts()
    {
        using var net = new UNet(new UNetConfig(1, 2));
        var profile = net.Profile(224);
        Assert.Equal(31_036_546, profile.Parameters);
        Assert.Equal([2L, 224, 224], profile.Rows[^1].OutputShape);
        Assert.Equal([1024L, 14, 14], profile.Rows.Single(r => r.Name == "down4").OutputShape);
        // inc at 224²: 1→64 and 64→64 3×3 convs
        Assert.Equal(224L * 224 * 64 * 9 * (1 + 64), profile.Rows[0].Macs);
        Assert.Contains("multiples of 16", Assert.Throws<ArgumentException>(() => net.Profile(200)).Message);
    }

    [Fact]
    public void TrainingOnlyRowsStayOutOfTheDeployedTotals()
    {
        using var net = new UNet(new UNetConfig(1, 2, Width: 8, Depth: 2));
        var profile = net.Profile(32);
        var extended = profile with { Rows = [.. profile.Rows, new ProfileRow("aux head", [2, 32, 32], 100, 1000, TrainingOnly: true)] };
        Assert.Equal(profile.Parameters, extended.Parameters);
        Assert.Equal(profile.Macs, extended.Macs);
        Assert.Equal(profile.Parameters + 100, extended.TrainingParameters);
        Assert.Equal(profile.Macs + 1000, extended.TrainingMacs);
    }
}
