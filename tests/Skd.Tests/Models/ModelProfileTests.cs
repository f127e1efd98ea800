namespace Skd.Tests.Models;

/// <summary>
/// The analytic profile against a brute-force count: forward hooks on every conv of the running
/// PyTorch U-Net (Fixtures/make_unet_fixture.py), and the parameters of the allocated network.
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
            var profile = config.Profile(p.GetProperty("size").GetInt64());
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
        var config = new UNetConfig(inChannels, classes, width, depth);
        using var net = new UNet(config);
        Assert.Equal(net.ParameterCount, config.Profile(64).Parameters);
    }

    [Fact]
    public void FullWidthUNetCountsWithoutAllocating()
    {
        var profile = new UNetConfig(1, 2).Profile(224);
        Assert.Equal(31_036_546, profile.Parameters);
        Assert.Equal([2L, 224, 224], profile.Rows[^1].OutputShape);
        Assert.Equal([1024L, 14, 14], profile.Rows.Single(r => r.Name == "down4").OutputShape);
        // inc at 224²: 1→64 and 64→64 3×3 convs
        Assert.Equal(224L * 224 * 64 * 9 * (1 + 64), profile.Rows[0].Macs);
        Assert.Contains("multiples of 16", Assert.Throws<ArgumentException>(() => new UNetConfig(1, 2).Profile(200)).Message);
    }

    [Fact]
    public void TrainingOnlyRowsStayOutOfTheDeployedTotals()
    {
        var profile = new UNetConfig(1, 2, Width: 8, Depth: 2).Profile(32);
        var extended = profile with { Rows = [.. profile.Rows, new ProfileRow("aux head", [2, 32, 32], 100, 1000, TrainingOnly: true)] };
        Assert.Equal(profile.Parameters, extended.Parameters);
        Assert.Equal(profile.Macs, extended.Macs);
        Assert.Equal(profile.Parameters + 100, extended.TrainingParameters);
        Assert.Equal(profile.Macs + 1000, extended.TrainingMacs);
    }

    [Fact]
    public void ConvolutionFormulas()
    {
        // 3×3 conv, 8 → 16 channels in 2 groups, on a 10×12 output: each output element reads 4·9 inputs
        Assert.Equal(10L * 12 * 16 * 4 * 9, ModelProfile.Conv2dMacs(8, 16, 3, 10, 12, groups: 2));
        // 2×2 stride-2 transposed conv 16 → 8 on a 5×6 input: each input element writes 8·4 outputs
        Assert.Equal(5L * 6 * 16 * 8 * 4, ModelProfile.ConvTranspose2dMacs(16, 8, 2, 5, 6));
        Assert.Equal(16L * 8 * 4 + 8, ModelProfile.ConvParameters(16, 8, 2, bias: true));
    }
}
