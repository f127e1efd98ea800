namespace Skd.Tests.Inference;

/// <summary>The importance map of sliding-window blending: nnU-Net's and MONAI's Gaussian with σ = 1/8 of the window.</summary>
public class GaussianImportanceTests
{
    [Fact]
    public void PeaksAtOneInTheCentreAndFallsAsAGaussianOfSigmaAnEighthOfTheWindow()
    {
        using var scope = new DisposeScope();
        var map = GaussianImportance.Map(33, 33);
        var w = map.ToArray<float>();
        Assert.Equal(1f, w[16 * 33 + 16]);
        Assert.Equal(1f, map.Max().Item<float>());
        double sigma = 33 / 8.0;
        foreach (int d in new[] { 1, 4, 9, 16 })
        {
            Assert.Equal(Math.Exp(-d * d / (2 * sigma * sigma)), w[16 * 33 + 16 + d], 6);      // along a row
            Assert.Equal(Math.Exp(-2.0 * d * d / (2 * sigma * sigma)), w[(16 + d) * 33 + 16 + d], 6);  // along the diagonal
        }
    }

    [Fact]
    public void IsPositiveSymmetricAndSeparable()
    {
        using var scope = new DisposeScope();
        var map = GaussianImportance.Map(16, 24);
        Assert.Equal(new long[] { 16, 24 }, map.Shape);
        Assert.True(map.Gt(0).All().Item<bool>());
        Assert.True(map.Min().Item<float>() > 1e-7f);              // about exp(−16) in a corner: every covered pixel counts
        var w = map.ToArray<float>();
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 24; j++)
            {
                Assert.Equal(w[i * 24 + j], w[(15 - i) * 24 + j]);    // flip up-down
                Assert.Equal(w[i * 24 + j], w[i * 24 + 23 - j]);      // flip left-right
                // separable: w(i, j) · w(c, c) = w(i, c) · w(c, j) with the profiles' maxima at 1
                Assert.Equal(w[i * 24 + j] * w[7 * 24 + 11], w[i * 24 + 11] * w[7 * 24 + j], 6);
            }
        Assert.Equal(w[7 * 24 + 11], map.Max().Item<float>());       // even sides: the four centre pixels share the peak
    }
}
