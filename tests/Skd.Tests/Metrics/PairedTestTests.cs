namespace Skd.Tests.Metrics;

/// <summary>Paired tests against scipy.stats 1.10 (Fixtures/make_paired_test_fixtures.py).</summary>
public class PairedTestTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "paired_test_reference.json"))).RootElement;

    public static TheoryData<string> Cases() => new(Fx.EnumerateObject().Select(p => p.Name));

    private static double[] Values(string name, string side) => Fx.GetProperty(name).GetProperty(side).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TTestMatchesScipy(string name)
    {
        var r = PairedTest.TTest(Values(name, "a"), Values(name, "b"));
        Assert.Equal(Fx.GetProperty(name).GetProperty("t").GetDouble(), r.Statistic, 1e-9);
        Assert.Equal(Fx.GetProperty(name).GetProperty("t_p").GetDouble(), r.PValue, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WilcoxonMatchesScipy(string name)
    {
        var r = PairedTest.Wilcoxon(Values(name, "a"), Values(name, "b"));
        Assert.Equal(Fx.GetProperty(name).GetProperty("w").GetDouble(), r.Statistic, 1e-9);
        Assert.Equal(Fx.GetProperty(name).GetProperty("w_p").GetDouble(), r.PValue, 1e-9);
    }

    [Fact]
    public void NaNPairsAreLeftOutAndNothingToTestIsNaN()
    {
        var r = PairedTest.TTest([0.5, double.NaN, 0.7, 0.6], [0.6, 0.9, 0.9, 0.65]);
        Assert.Equal(3, r.Pairs);
        Assert.True(double.IsNaN(PairedTest.Wilcoxon([0.5, 0.6], [0.5, 0.6]).PValue));
        Assert.True(double.IsNaN(PairedTest.TTest([0.5], [0.6]).PValue));
        Assert.Throws<ArgumentException>(() => PairedTest.TTest([0.5], [0.6, 0.7]));
    }
}
