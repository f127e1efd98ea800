namespace Skd.Tests.Distillation;

/// <summary>
/// The offline-KD losses against reference implementations after the authors' code
/// (Fixtures/make_distillation_fixtures.py: mmrazor's ChannelWiseDivergence, Zagoruyko's at(),
/// IFVD's CriterionIFV), in float64.
/// </summary>
public class DistillationLossTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "distillation_reference.json"))).RootElement;

    private static long[] Shape(string key) => Fx.GetProperty(key).GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    private static Tensor Double(string key) => Tensor.From(Fx.GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray(), Shape(key));

    private static Tensor Labels() => Tensor.From(Fx.GetProperty("labels").GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape("labels"));

    private static double Expected(string key) => Fx.GetProperty(key).GetDouble();

    private static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(b.Shape, a.Shape);
        return (a - b).Abs().Max().Item();
    }

    [Fact]
    public void ChannelWiseDistillationMatchesMmrazorAtTwoTemperatures()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("cwd_tau1"), ChannelWiseDistillationLoss.Compute(Double("logits_s"), Double("logits_t")).Item(), 10);
        Assert.Equal(Expected("cwd_tau2"), ChannelWiseDistillationLoss.Compute(Double("logits_s"), Double("logits_t"), 2).Item(), 10);
    }

    [Fact]
    public void ChannelWiseDistillationIsZeroForTheTeacherItselfAndRejectsOtherShapes()
    {
        using var scope = new DisposeScope();
        Assert.Equal(0, ChannelWiseDistillationLoss.Compute(Double("logits_t"), Double("logits_t")).Item(), 12);
        Assert.Throws<ArgumentException>(() => ChannelWiseDistillationLoss.Compute(Double("logits_s"), Double("logits_s").Narrow(1, 0, 2)));
    }

    [Fact]
    public void AttentionTransferMatchesZagoruykosMapsOverStagesOfOtherWidths()
    {
        using var scope = new DisposeScope();
        Assert.True(MaxAbsDiff(AttentionTransferLoss.AttentionMap(Double("at_s1")), Double("at_map_s1")) < 1e-12);
        var loss = AttentionTransferLoss.Compute([Double("at_s0"), Double("at_s1")], [Double("at_t0"), Double("at_t1")]);
        Assert.Equal(Expected("at"), loss.Item(), 10);
    }

    [Fact]
    public void AttentionTransferRejectsUnmatchedStages()
    {
        using var scope = new DisposeScope();
        Assert.Throws<ArgumentException>(() => AttentionTransferLoss.Compute([Double("at_s0")], [Double("at_t0"), Double("at_t1")]));
        Assert.Throws<ArgumentException>(() => AttentionTransferLoss.Compute([Double("at_s0")], [Double("at_t1")]));
    }

    [Fact]
    public void IntraClassFeatureVariationMatchesCriterionIfvAndItsGradient()
    {
        using var scope = new DisposeScope();
        var student = Double("feat_s").RequiresGrad_();
        var loss = IntraClassFeatureVariationLoss.Compute(student, Double("feat_t"), Labels(), 4);
        Assert.Equal(Expected("ifvd"), loss.Item(), 10);
        loss.Backward();
        Assert.True(MaxAbsDiff(student.Grad!, Double("ifvd_grad_s")) < 1e-12);
    }

    [Fact]
    public void IntraClassFeatureVariationResizesTheLabelToCoarserFeatures()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("ifvd_coarse"), IntraClassFeatureVariationLoss.Compute(Double("coarse_s"), Double("coarse_t"), Labels(), 4).Item(), 10);
    }

    [Fact]
    public void PrototypeSimilarityByHandOnATinyImage()
    {
        using var scope = new DisposeScope();
        // Image of 2×2 pixels, 2 channels: class 0 at (0,0) and (0,1) with features (1,0) and (0,1),
        // class 1 at (1,0) and (1,1) with the same features (3,4): prototypes (0.5,0.5) and (3,4).
        var features = Tensor.From(new[] { 1.0, 0, 3, 3, 0, 1, 4, 4 }, 1, 2, 2, 2);
        var labels = Tensor.From(new long[] { 0, 0, 1, 1 }, 1, 2, 2);
        var map = IntraClassFeatureVariationLoss.PrototypeSimilarity(features, labels, 2).ToArray<double>();
        double halfDiagonal = Math.Sqrt(0.5);   // cos((1,0), (0.5,0.5)) = 1/√2 (the 1e-6 scales the prototype, not its direction)
        Assert.Equal(4, map.Length);
        Assert.Equal(halfDiagonal, map[0], 9);
        Assert.Equal(halfDiagonal, map[1], 9);
        Assert.Equal(1, map[2], 9);
        Assert.Equal(1, map[3], 9);
    }
}
