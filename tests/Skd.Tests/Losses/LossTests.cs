namespace Skd.Tests.Losses;

/// <summary>The shared losses against PyTorch and TransUNet's DiceLoss (Fixtures/make_loss_fixtures.py), in float64.</summary>
public class LossTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "loss_reference.json"))).RootElement;

    private static Tensor Double(string key) => Tensor.From(
        Fx.GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
        Fx.GetProperty(key).GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    private static Tensor Labels() => Tensor.From(
        Fx.GetProperty("labels").GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
        Fx.GetProperty("labels").GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    private static double Expected(string key) => Fx.GetProperty(key).GetDouble();

    [Fact]
    public void DiceMatchesTransUNet()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("dice_transunet"), new DiceLoss().Compute(Double("logits"), Labels()).Item(), 10);
    }

    [Fact]
    public void SegmentationLossIsHalfCrossEntropyHalfDice()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("seg_half_half"), new SegmentationLoss().Compute(Double("logits"), Labels()).Item(), 10);
    }

    [Fact]
    public void SoftCrossEntropyMatches()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("soft_ce"), SoftCrossEntropy.Compute(Double("logits"), Double("soft")).Item(), 10);
    }

    [Fact]
    public void PixelKdMatchesWithGlobalAndPerImageTemperature()
    {
        using var scope = new DisposeScope();
        Assert.Equal(Expected("kd_tau4"), PixelKdLoss.Compute(Double("logits"), Double("teacher"), 4.0).Item(), 10);
        var perImage = Tensor.From(new[] { 2.0, 5.0 });
        Assert.Equal(Expected("kd_per_image"), PixelKdLoss.Compute(Double("logits"), Double("teacher"), perImage).Item(), 10);
        Assert.Throws<ArgumentException>(() => PixelKdLoss.Compute(Double("logits"), Double("teacher"), Tensor.From(new[] { 1.0, 2.0, 3.0 })));
    }

    [Fact]
    public void DiceByHandOnATinyCase()
    {
        using var scope = new DisposeScope();
        // Probabilities given directly: one image, 2 classes, 2 pixels; labels (1, 0).
        var p = Tensor.From(new[] { 0.2, 0.6, 0.8, 0.4 }, 1, 2, 1, 2);
        var y = Tensor.From(new long[] { 1, 0 }, 1, 1, 2);
        // class 0: inter 0.6, Σp² 0.40, Σy 1 → 1 − 1.2/1.4; class 1: inter 0.8, Σp² 0.80, Σy 1 → 1 − 1.6/1.8
        double plain0 = 1 - 1.2 / 1.8, plain1 = 1 - 1.6 / 2.2;
        Assert.Equal(((1 - 1.2 / 1.4) + (1 - 1.6 / 1.8)) / 2, new DiceLoss(Smooth: 0).FromProbabilities(p, y).Item(), 12);
        Assert.Equal((plain0 + plain1) / 2, new DiceLoss(SquaredDenominator: false, Smooth: 0).FromProbabilities(p, y).Item(), 12);
        Assert.Equal(1 - 1.6 / 1.8, new DiceLoss(IncludeBackground: false, Smooth: 0).FromProbabilities(p, y).Item(), 12);
    }
}
