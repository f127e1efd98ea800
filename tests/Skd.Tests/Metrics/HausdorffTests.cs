namespace Skd.Tests.Metrics;

/// <summary>HD95 and the distance transform against medpy's hd95 and scipy (Fixtures/make_hd95_fixtures.py).</summary>
public class HausdorffTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "hd95_reference.json"))).RootElement;

    public static TheoryData<string> Hd95Cases() => new(Fx.GetProperty("hd95").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    private static bool[] Bits(JsonElement e) => e.GetString()!.Select(c => c == '1').ToArray();
    private static int[] Shape(JsonElement e) => e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
    private static double[]? Spacing(JsonElement e) =>
        e.GetProperty("spacing").ValueKind == JsonValueKind.Null ? null : e.GetProperty("spacing").EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void AssertRelative(double expected, double actual)
    {
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
    }

    [Theory]
    [MemberData(nameof(Hd95Cases))]
    public void MatchesMedpyAndMonai(string name)
    {
        var c = Fx.GetProperty("hd95").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        bool[] a = Bits(c.GetProperty("a")), b = Bits(c.GetProperty("b"));
        AssertRelative(c.GetProperty("hd95").GetDouble(), HausdorffDistance95.Compute(a, b, Shape(c), Spacing(c)));
        AssertRelative(c.GetProperty("hd95_monai").GetDouble(), HausdorffDistance95.Compute(a, b, Shape(c), Spacing(c), Hd95Variant.Monai));
    }

    [Fact]
    public void DistanceTransformMatchesScipy()
    {
        foreach (var c in Fx.GetProperty("edt").EnumerateArray())
        {
            var expected = c.GetProperty("distances").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var actual = EuclideanDistanceTransform.Compute(Bits(c.GetProperty("input")), Shape(c), Spacing(c));
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++) AssertRelative(expected[i], actual[i]);
        }
    }

    [Fact]
    public void DistanceTransformWithoutBackgroundIsInfinite()
    {
        Assert.All(EuclideanDistanceTransform.Compute(new[] { true, true, true, true }, [2, 2]), d => Assert.Equal(double.PositiveInfinity, d));
    }

    [Fact]
    public void EmptyMaskGivesNaN()
    {
        var some = new[] { false, true, false, false };
        var none = new bool[4];
        Assert.True(double.IsNaN(HausdorffDistance95.Compute(some, none, [2, 2])));
        Assert.True(double.IsNaN(HausdorffDistance95.Compute(none, some, [2, 2])));
        Assert.True(double.IsNaN(HausdorffDistance95.Compute(none, none, [2, 2])));
    }

    [Fact]
    public void TensorOverloadUsesNonZeroVoxelsAndSpacing()
    {
        using var scope = new DisposeScope();
        var a = torch.Zeros([3, 5, 5], DType.Int64);
        var b = torch.Zeros([3, 5, 5], DType.Int64);
        a.Select(0, 0).Select(0, 1).Select(0, 1).Fill_(2);   // (0, 1, 1), label value 2
        b.Select(0, 2).Select(0, 4).Select(0, 1).Fill_(1);   // (2, 4, 1)
        // One voxel each: every distance is sqrt((2·2.5)² + (3·0.8)²).
        Assert.Equal(Math.Sqrt(25 + 5.76), HausdorffDistance95.Compute(a, b, [2.5, 0.8, 0.8]), 12);
    }

    [Fact]
    public void PercentileIsNumpysLinear()
    {
        Assert.Equal(3.85, Percentile.Linear([4, 1, 3, 2], 95), 12);        // numpy.percentile([4, 1, 3, 2], 95)
        Assert.Equal(7, Percentile.Linear([7], 95));
        Assert.Equal(2.5, Percentile.Linear([1, 2, 3, 4], 50), 12);
        Assert.True(double.IsNaN(Percentile.Linear([], 95)));
    }
}
