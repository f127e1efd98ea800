using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>Finite-difference checks (float64) of the differentiable ops the models and losses use.</summary>
public class GradCheckTests
{
    private static Tensor R(params long[] shape) => torch.Randn(shape, DType.Float64);

    public GradCheckTests() => torch.ManualSeed(7);

    [Fact]
    public void Conv2d() =>
        GradCheck.Check(t => F.Conv2d(t[0], t[1], t[2], stride: (2, 1), padding: (1, 1)), [R(1, 2, 5, 5), R(3, 2, 3, 3), R(3)]);

    [Fact]
    public void Conv2dGroupedDilated() =>
        GradCheck.Check(t => F.Conv2d(t[0], t[1], null, padding: (2, 2), dilation: (2, 2), groups: 2), [R(1, 4, 5, 5), R(2, 2, 3, 3)]);

    [Fact]
    public void ConvTranspose2d() =>
        GradCheck.Check(t => F.ConvTranspose2d(t[0], t[1], t[2], stride: (2, 2), padding: (1, 1), outputPadding: (1, 1)),
            [R(1, 3, 3, 3), R(3, 2, 3, 3), R(2)]);

    /// <summary>Kernel = stride (the U-Net's up-sampling): the shim's 1×1 convolution + pixel shuffle path, with and without bias.</summary>
    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void ConvTranspose2dWithKernelEqualToStride(long k, bool bias) =>
        GradCheck.Check(t => F.ConvTranspose2d(t[0], t[1], bias ? t[2] : null, stride: (k, k)), [R(2, 3, 2, 3), R(3, 2, k, k), R(2)]);

    [Fact]
    public void BatchNormTraining() =>
        GradCheck.Check(t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true), [R(3, 2, 3, 3), R(2), R(2)]);

    [Fact]
    public void BatchNormEvaluation()
    {
        var mean = R(2);
        var variance = torch.Rand([2], DType.Float64) + 0.5;
        GradCheck.Check(t => F.BatchNorm(t[0], mean, variance, t[1], t[2], training: false), [R(2, 2, 3, 3), R(2), R(2)]);
    }

    [Fact]
    public void GroupNorm() => GradCheck.Check(t => F.GroupNorm(t[0], 2, t[1], t[2]), [R(2, 4, 3, 3), R(4), R(4)]);

    [Theory]
    [InlineData(InterpolationMode.Bilinear, false)]
    [InlineData(InterpolationMode.Bilinear, true)]
    [InlineData(InterpolationMode.Nearest, false)]
    [InlineData(InterpolationMode.Bicubic, false)]
    public void InterpolateToSize(InterpolationMode mode, bool alignCorners) =>
        GradCheck.Check(t => F.Interpolate(t[0], (7, 5), mode, alignCorners), [R(1, 2, 4, 3)]);

    [Fact]
    public void InterpolateByScale() => GradCheck.Check(t => F.Interpolate(t[0], 2.0, InterpolationMode.Bilinear), [R(1, 1, 3, 4)]);

    [Theory]
    [InlineData(GridSampleMode.Bilinear, GridSamplePadding.Zeros, false)]
    [InlineData(GridSampleMode.Bilinear, GridSamplePadding.Border, true)]
    [InlineData(GridSampleMode.Bilinear, GridSamplePadding.Reflection, false)]
    public void GridSample(GridSampleMode mode, GridSamplePadding padding, bool alignCorners)
    {
        // Sampling points kept away from pixel centres, where bilinear interpolation has kinks.
        var grid = (torch.Rand([1, 3, 4, 2], DType.Float64) * 1.6 - 0.8);
        GradCheck.Check(t => F.GridSample(t[0], t[1], mode, padding, alignCorners), [R(1, 2, 4, 5), grid]);
    }

    [Fact]
    public void AffineGrid()
    {
        var theta = Tensor.From(new[] { 0.9, -0.1, 0.05, 0.12, 0.95, -0.03 }, 1, 2, 3);
        GradCheck.Check(t => F.AffineGrid(t[0], [1, 1, 4, 5]), [theta]);
        GradCheck.Check(t => F.AffineGrid(t[0], [1, 1, 3, 3], alignCorners: true), [theta]);
    }

    [Fact]
    public void Softmax() => GradCheck.Check(t => t[0].Softmax(1), [R(2, 3, 2, 2)]);

    [Fact]
    public void LogSoftmax() => GradCheck.Check(t => t[0].LogSoftmax(1), [R(2, 3, 2, 2)]);

    [Fact]
    public void CrossEntropyWithWeightsAndIgnoreIndex()
    {
        var target = Tensor.From(new long[] { 0, 2, 1, 255, 2, 0, 1, 1 }, 2, 2, 2);
        var weight = Tensor.From(new[] { 0.5, 1.0, 2.0 });
        GradCheck.Check(t => F.CrossEntropy(t[0], target, weight, ignoreIndex: 255), [R(2, 3, 2, 2)]);
    }

    [Fact]
    public void CrossEntropyLabelSmoothing()
    {
        var target = Tensor.From(new long[] { 0, 2, 1 });
        GradCheck.Check(t => F.CrossEntropy(t[0], target, labelSmoothing: 0.1), [R(3, 3)]);
    }

    [Fact]
    public void KlDiv()
    {
        var target = R(2, 3, 2).Softmax(1);
        GradCheck.Check(t => F.KlDiv(t[0].LogSoftmax(1), t[1], Reduction.Sum), [R(2, 3, 2), target]);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits() =>
        GradCheck.Check(t => F.BinaryCrossEntropyWithLogits(t[0], t[1]), [R(2, 5), torch.Rand([2, 5], DType.Float64)]);

    [Fact]
    public void BinaryCrossEntropy() =>
        GradCheck.Check(t => F.BinaryCrossEntropy(t[0].Sigmoid(), t[1]), [R(2, 5), torch.Rand([2, 5], DType.Float64)]);

    [Fact]
    public void MaxAndAvgPool() =>
        GradCheck.Check(t => F.MaxPool2d(t[0], 2) + F.AvgPool2d(t[0], 2), [R(1, 2, 4, 4)]);

    [Fact]
    public void GradientReversalIsMinusLambdaTimesTheIdentityGradient()
    {
        // The forward pass is the identity, so finite differences see +1; the analytic gradient is −λ.
        GradCheck.Check(t => F.GradientReversal(t[0], 0.7).Exp(), [R(2, 3)], analyticScale: -0.7);
    }
}
