using F = Skd.Torch.Functional;

namespace Skd.Tests.Data;

/// <summary>Intensity, resizing, pad/crop and batched augmentation (Skd.Data.Transforms).</summary>
public class TransformsTests
{
    // ---- intensity -----------------------------------------------------------------------

    [Fact]
    public void WindowClipsAndScalesToUnitRange()
    {
        using var scope = new DisposeScope();
        var hu = Tensor.From(new short[] { -1000, -125, 75, 175, 275, 3000 }, 2, 3);
        var w = Intensity.Window(hu, -125, 275);
        Assert.Equal(DType.Float32, w.DType);
        Assert.Equal(new float[] { 0, 0, 0.5f, 0.75f, 1, 1 }, w.ToArray<float>());
        Assert.Throws<ArgumentException>(() => Intensity.Window(hu, 1, 1));
    }

    [Fact]
    public void ZScoreGivesZeroMeanUnitStdPerImageAndChannel()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(1);
        var x = torch.Randn(2, 3, 16, 16).Mul(torch.Arange(1, 7, 1, DType.Float32).View(2, 3, 1, 1)).Add(5);
        var z = Intensity.ZScore(x);
        AssertAll(z.Mean([2, 3]), 0, 1e-5);
        AssertAll(z.Square().Mean([2, 3]).Sqrt(), 1, 1e-4); // population std
    }

    [Fact]
    public void MaskedZScoreUsesTheStatisticsInsideAndZeroesOutside()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(2);
        var mask = torch.Zeros(16, 16);
        mask.Narrow(0, 4, 8).Narrow(1, 2, 10).Fill_(1);
        var inside = mask.Bool();
        var x = torch.Randn(1, 16, 16).Mul(3).Add(10).Mul(mask).Add(mask.Neg().Add(1).Mul(-500)); // outside: -500
        var z = Intensity.ZScore(x, mask);
        var values = z.MaskedSelect(inside.Unsqueeze(0));
        Assert.Equal(80, values.NumElements);
        Assert.Equal(0, values.Mean().Item(), 5);
        Assert.Equal(1, values.Square().Mean().Sqrt().Item(), 4);
        Assert.Equal(0, z.MaskedSelect(inside.LogicalNot().Unsqueeze(0)).Abs().Max().Item());
    }

    [Fact]
    public void ZScoreAndMinMaxOfAConstantImageAreZeros()
    {
        using var scope = new DisposeScope();
        var c = torch.Full([2, 5, 5], 7);
        Assert.All(Intensity.ZScore(c).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Intensity.ZScore(c, torch.Zeros(5, 5)).ToArray<float>(), v => Assert.Equal(0f, v)); // empty mask
        Assert.All(Intensity.MinMax(c).ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MinMaxScalesEachChannelToUnitRange()
    {
        using var scope = new DisposeScope();
        var x = Tensor.From(new float[] { -2, 0, 2, 6, 10, 20, 30, 40 }, 2, 2, 2);
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 1, 0, 1 / 3f, 2 / 3f, 1 }, Intensity.MinMax(x).ToArray<float>());
    }

    // ---- resizing ------------------------------------------------------------------------

    [Fact]
    public void LabelResizeMatchesAHandComputedNearestReference()
    {
        using var scope = new DisposeScope();
        var labels = Tensor.From(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        // Up to 3 x 5: rows floor(i · 2/3) = 0 0 1; columns floor(j · 3/5) = 0 0 1 1 2.
        Assert.Equal(new long[] { 1, 1, 2, 2, 3, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6 }, Resize.Label(labels, 3, 5).ToArray<long>());
        // Down to 1 x 2: row 0; columns floor(j · 3/2) = 0 1.
        Assert.Equal(new long[] { 1, 2 }, Resize.Label(labels, 1, 2).ToArray<long>());
    }

    [Theory]
    [InlineData(512, 512, 224, 224)]
    [InlineData(224, 224, 512, 512)]
    [InlineData(7, 13, 13, 7)]
    [InlineData(300, 300, 301, 299)]
    [InlineData(5, 6, 10, 3)]
    public void LabelResizeEqualsInterpolateNearestAndKeepsTheLabelSet(int h, int w, int outH, int outW)
    {
        using var scope = new DisposeScope();
        torch.ManualSeed((ulong)(h * 31 + w));
        var labels = torch.RandInt(0, 9, [2, h, w]);
        var resized = Resize.Label(labels, outH, outW);
        Assert.Equal(new long[] { 2, outH, outW }, resized.Shape);
        Assert.Equal(DType.Int64, resized.DType);
        var reference = F.Interpolate(labels.Unsqueeze(1).Float(), (outH, outW), InterpolationMode.Nearest).Squeeze(1).Long();
        Assert.Equal(reference.ToArray<long>(), resized.ToArray<long>());
        Assert.Subset(labels.ToArray<long>().ToHashSet(), resized.ToArray<long>().ToHashSet());
    }

    [Theory]
    [InlineData(InterpolationMode.Bilinear)]
    [InlineData(InterpolationMode.Bicubic)]
    public void ImageResizeIsInterpolateForEveryLayout(InterpolationMode mode)
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(4);
        var x = torch.Rand(2, 3, 20, 30);
        var reference = F.Interpolate(x, (11, 17), mode).ToArray<float>();
        Assert.Equal(reference, Resize.Image(x, 11, 17, mode).ToArray<float>());
        // Other layouts go through the same call (libtorch's result for one image can differ from
        // the same image in a batch by an ulp, so the reference is computed per layout).
        var chw = Resize.Image(x[0], 11, 17, mode);
        Assert.Equal(new long[] { 3, 11, 17 }, chw.Shape);
        Assert.Equal(F.Interpolate(x.Narrow(0, 0, 1), (11, 17), mode).ToArray<float>(), chw.ToArray<float>());
        var hw = Resize.Image(x[0][0], 11, 17, mode);
        Assert.Equal(new long[] { 11, 17 }, hw.Shape);
        Assert.Equal(F.Interpolate(x.Narrow(0, 0, 1).Narrow(1, 0, 1), (11, 17), mode).ToArray<float>(), hw.ToArray<float>());
        Assert.Equal(DType.Float32, Resize.Image(torch.Ones([4, 4], DType.UInt8), 2, 2).DType);
    }

    // ---- pad / crop ----------------------------------------------------------------------

    [Fact]
    public void ToSizePadsAndCropsCentred()
    {
        using var scope = new DisposeScope();
        var x = Tensor.From(Enumerable.Range(1, 12).Select(i => (long)i).ToArray(), 1, 3, 4);
        var padded = PadCrop.ToSize(x, 6, 5, padValue: -1);
        Assert.Equal(new long[] { 1, 6, 5 }, padded.Shape);
        Assert.Equal(DType.Int64, padded.DType);
        // 3 rows → 6: 1 above, 2 below; 4 columns → 5: 0 left, 1 right.
        Assert.Equal(new long[]
        {
            -1, -1, -1, -1, -1,
            1, 2, 3, 4, -1,
            5, 6, 7, 8, -1,
            9, 10, 11, 12, -1,
            -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1,
        }, padded.ToArray<long>());
        Assert.Equal(x.ToArray<long>(), PadCrop.ToSize(padded, 3, 4).ToArray<long>()); // a crop undoes a pad
        // 3 x 4 → 1 x 2: row 1, columns 1..2.
        Assert.Equal(new long[] { 6, 7 }, PadCrop.ToSize(x, 1, 2).ToArray<long>());
        // Mixed: rows padded, columns cropped.
        Assert.Equal(new long[] { 0, 0, 2, 3, 6, 7, 10, 11, 0, 0 }, PadCrop.ToSize(x, 5, 2).ToArray<long>());
    }

    [Fact]
    public void ToMultiplePadsForAUNetAndItsPaddingCropsPredictionsBack()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(5);
        var x = torch.Rand(2, 1, 37, 50);
        var (padded, padding) = PadCrop.ToMultiple(x, 16);
        Assert.Equal(new long[] { 2, 1, 48, 64 }, padded.Shape);
        Assert.Equal(new Padding(5, 6, 7, 7), padding);
        Assert.Equal(0, padded.Narrow(2, 0, 5).Abs().Max().Item());
        var logits = padded.Repeat(1, 4, 1, 1); // a prediction with 4 channels
        var back = padding.Remove(logits);
        Assert.Equal(new long[] { 2, 4, 37, 50 }, back.Shape);
        Assert.Equal(x.ToArray<float>(), back.Narrow(1, 3, 1).Contiguous().ToArray<float>());
        var (same, none) = PadCrop.ToMultiple(x.Narrow(2, 0, 32).Narrow(3, 0, 48), 16);
        Assert.Equal(new Padding(0, 0, 0, 0), none);
        Assert.Equal(new long[] { 2, 1, 32, 48 }, same.Shape);
    }

    // ---- augmentation --------------------------------------------------------------------

    /// <summary>The largest label of <see cref="Phantom"/>: label = round(image · K).</summary>
    private const int K = 4;

    /// <summary>Labels 0..K (n, height, width): background, a rectangle, a disk, a band and a line, shifted per sample; the image is label / K.</summary>
    private static (Tensor Images, Tensor Labels) Phantom(int n, int height, int width)
    {
        var labels = new long[n * height * width];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    long v = 0;
                    if (i >= height / 8 + s && i < height / 2 && j >= width / 8 && j < width / 2 + s) v = 1;
                    double di = i - 0.65 * height, dj = j - 0.6 * width;
                    if (di * di + dj * dj < height * width / 25.0) v = 2;
                    if (j >= width - width / 6 && i > height / 4) v = 3;
                    if (i == height / 2 + s && j < width / 3) v = K;
                    labels[(s * height + i) * width + j] = v;
                }
        var y = Tensor.From(labels, n, height, width);
        return (y.Unsqueeze(1).Float().Div(K), y);
    }

    private static readonly AugmentationOptions Everything = new()
    {
        HorizontalFlipProbability = 0.5, VerticalFlipProbability = 0.5, Rot90Probability = 0.5, RotationProbability = 0.5,
        ZoomProbability = 0.5, BrightnessProbability = 0.5, ContrastProbability = 0.5, GammaProbability = 0.5,
    };

    [Fact]
    public void AllProbabilitiesZeroIsTheExactIdentityOnNewTensors()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(6);
        var images = torch.Randn(3, 2, 12, 10);
        var labels = torch.RandInt(0, 5, [3, 12, 10]);
        var (x, y) = new Augmentation(new AugmentationOptions(), seed: 1).Apply(images, labels);
        Assert.NotSame(images, x);
        Assert.NotSame(labels, y);
        Assert.Equal(images.ToArray<float>(), x.ToArray<float>());
        Assert.Equal(labels.ToArray<long>(), y.ToArray<long>());
    }

    [Theory]
    [InlineData(0, false, false)]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(3, false, false)]
    [InlineData(0, true, false)]
    [InlineData(0, false, true)]
    [InlineData(1, true, true)]
    [InlineData(3, true, false)]
    public void Rot90AndFlipsArePixelPermutationsOfImageAndLabelAlike(int k, bool flipH, bool flipV)
    {
        using var scope = new DisposeScope();
        const int n = 6;
        var (images, labels) = Phantom(2, n, n);
        var augmentation = new Augmentation(new AugmentationOptions(), seed: 0);
        var transform = new SampleTransform { Rot90 = k, FlipHorizontal = flipH, FlipVertical = flipV };
        var (x, y) = augmentation.Apply(images, labels, [SampleTransform.Identity, transform]);

        // Reference by index arithmetic: np.rot90 (out[i, j] = in[j, n-1-i]) k times, then the flips.
        (int, int) Source(int i, int j)
        {
            if (flipV) i = n - 1 - i;
            if (flipH) j = n - 1 - j;
            for (int r = 0; r < k; r++) (i, j) = (j, n - 1 - i);
            return (i, j);
        }
        var input = labels[1].ToArray<long>();
        var expected = new long[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var (si, sj) = Source(i, j);
                expected[i * n + j] = input[si * n + sj];
            }
        Assert.Equal(expected, y[1].ToArray<long>());
        Assert.Equal(expected.Select(v => v / (float)K), x[1].ToArray<float>());
        Assert.Equal(labels[0].ToArray<long>(), y[0].ToArray<long>());
        Assert.Equal(images[0].ToArray<float>(), x[0].ToArray<float>());
    }

    [Fact]
    public void RandomRot90AndFlipsKeepImageAndLabelConsistentExactly()
    {
        using var scope = new DisposeScope();
        var (images, labels) = Phantom(8, 16, 16);
        var options = new AugmentationOptions { HorizontalFlipProbability = 0.5, VerticalFlipProbability = 0.5, Rot90Probability = 1 };
        var (x, y) = new Augmentation(options, seed: 3).Apply(images, labels);
        Assert.Equal(y.ToArray<long>(), x.Mul(K).Round().Squeeze(1).Long().ToArray<long>());
        Assert.NotEqual(labels.ToArray<long>(), y.ToArray<long>());
        // A permutation: each sample keeps its label histogram.
        for (int s = 0; s < 8; s++)
            Assert.Equal(Histogram(labels[s]), Histogram(y[s]));
    }

    [Theory]
    [InlineData(GridSamplePadding.Zeros)]
    [InlineData(GridSamplePadding.Border)]
    public void RotationAndZoomMoveImageAndLabelTogetherAndKeepTheLabelSet(GridSamplePadding padding)
    {
        using var scope = new DisposeScope();
        var (_, labels) = Phantom(4, 64, 48);
        var images = F.OneHot(labels).Permute(0, 3, 1, 2).Float(); // one channel per class
        var options = new AugmentationOptions { RotationProbability = 1, ZoomProbability = 1, MinZoom = 0.8, MaxZoom = 1.25, Padding = padding };
        var augmentation = new Augmentation(options, seed: 11);
        var draws = augmentation.Draw(4);
        Assert.All(draws, d => Assert.True(Math.Abs(d.RotationDegrees) <= 20 && d.Zoom is >= 0.8 and <= 1.25));
        var (x, y) = augmentation.Apply(images, labels, draws);
        Assert.Equal(DType.Int64, y.DType);
        Assert.Subset(Enumerable.Range(0, K + 1).Select(v => (long)v).ToHashSet(), y.ToArray<long>().ToHashSet());
        Assert.NotEqual(labels.ToArray<long>(), y.ToArray<long>());
        double agreement = x.Argmax(1).Eq(y).Float().Mean().Item();
        Assert.True(agreement >= 0.98, $"image and label agree on {agreement:P2} of pixels");
    }

    [Fact]
    public void RotationByPlusNinetyDegreesIsRot90ByOne()
    {
        using var scope = new DisposeScope();
        var (images, labels) = Phantom(2, 20, 20);
        var augmentation = new Augmentation(new AugmentationOptions(), seed: 0);
        var (xr, yr) = augmentation.Apply(images, labels, [new SampleTransform { RotationDegrees = 90 }, new SampleTransform { RotationDegrees = -90 }]);
        var (xq, yq) = augmentation.Apply(images, labels, [new SampleTransform { Rot90 = 1 }, new SampleTransform { Rot90 = 3 }]);
        Assert.Equal(yq.ToArray<long>(), yr.ToArray<long>());
        AssertClose(xq.ToArray<float>(), xr, 1e-5);
    }

    [Fact]
    public void RotationIsInPixelSpaceOnNonSquareImages()
    {
        using var scope = new DisposeScope();
        // A centred 10 x 20 rectangle in a 40 x 60 image, turned by 90°, is a centred 20 x 10 one.
        var labels = torch.Zeros([1, 40, 60], DType.Int64);
        labels.Narrow(1, 15, 10).Narrow(2, 20, 20).Fill_(1);
        var expected = torch.Zeros([1, 40, 60], DType.Int64);
        expected.Narrow(1, 10, 20).Narrow(2, 25, 10).Fill_(1);
        var augmentation = new Augmentation(new AugmentationOptions(), seed: 0);
        var (_, y) = augmentation.Apply(labels.Unsqueeze(1).Float(), labels, [new SampleTransform { RotationDegrees = 90 }]);
        Assert.Equal(expected.ToArray<long>(), y.ToArray<long>());
    }

    [Fact]
    public void IntensityTransformsFollowTheirFormulas()
    {
        using var scope = new DisposeScope();
        var images = Tensor.From(new float[] { 0.2f, 0.4f, 0.6f, 1.0f, 0.2f, 0.4f, 0.6f, 1.0f }, 2, 1, 2, 2);
        var labels = torch.Zeros([2, 2, 2], DType.Int64);
        var augmentation = new Augmentation(new AugmentationOptions(), seed: 0);
        (Tensor, Tensor) Run(SampleTransform t) => augmentation.Apply(images, labels, [t, SampleTransform.Identity]);

        var (shifted, _) = Run(new SampleTransform { BrightnessShift = 0.1 });
        AssertClose([0.3f, 0.5f, 0.7f, 1.1f, 0.2f, 0.4f, 0.6f, 1.0f], shifted);
        var (contrasted, _) = Run(new SampleTransform { Contrast = 2 }); // mean 0.55: 2x - 0.55
        AssertClose([-0.15f, 0.25f, 0.65f, 1.45f, 0.2f, 0.4f, 0.6f, 1.0f], contrasted);
        var (gamma, _) = Run(new SampleTransform { Gamma = 2 }); // ((x - 0.2) / 0.8)² · 0.8 + 0.2
        AssertClose([0.2f, 0.25f, 0.4f, 1.0f, 0.2f, 0.4f, 0.6f, 1.0f], gamma);
    }

    [Fact]
    public void SameSeedSameOutputsWhateverTorchsGeneratorDoes()
    {
        using var scope = new DisposeScope();
        var (images, labels) = Phantom(4, 32, 32);
        (float[], long[]) Run(int seed, ulong torchSeed)
        {
            torch.ManualSeed(torchSeed);
            using var noise = torch.Rand(100);
            var augmentation = new Augmentation(Everything, seed);
            var (x1, y1) = augmentation.Apply(images, labels);
            var (x2, y2) = augmentation.Apply(images, labels);
            return ([.. x1.ToArray<float>(), .. x2.ToArray<float>()], [.. y1.ToArray<long>(), .. y2.ToArray<long>()]);
        }
        var a = Run(7, 1);
        var b = Run(7, 2);
        var c = Run(8, 1);
        Assert.Equal(a.Item1, b.Item1);
        Assert.Equal(a.Item2, b.Item2);
        Assert.NotEqual(a.Item1, c.Item1);
        Assert.NotEqual(a.Item2, c.Item2);
    }

    [Fact]
    public void EachSampleGetsItsOwnDrawAndTheBatchEqualsSampleBySample()
    {
        using var scope = new DisposeScope();
        var (one, oneLabel) = Phantom(1, 24, 24);
        var images = one.Repeat(8, 1, 1, 1);
        var labels = oneLabel.Repeat(8, 1, 1);
        var augmentation = new Augmentation(Everything, seed: 5);
        var draws = augmentation.Draw(8);
        Assert.True(draws.Distinct().Count() > 1);
        var (x, y) = augmentation.Apply(images, labels, draws);
        Assert.True(Enumerable.Range(1, 7).Any(s => !y[s].Eq(y[0]).All().Item<bool>()), "every sample was augmented the same way");
        for (int s = 0; s < 8; s++)
        {
            var (xs, ys) = augmentation.Apply(one, oneLabel, [draws[s]]);
            AssertClose(xs.ToArray<float>(), x[s].Unsqueeze(0), 1e-6);
            Assert.Equal(ys.ToArray<long>(), y[s].ToArray<long>());
        }
    }

    [Fact]
    public void RejectsInvalidOptionsAndBatches()
    {
        using var scope = new DisposeScope();
        Assert.Throws<ArgumentException>(() => new Augmentation(new AugmentationOptions { RotationProbability = 1.5 }, 0));
        Assert.Throws<ArgumentException>(() => new Augmentation(new AugmentationOptions { MinZoom = 1.2, MaxZoom = 1.1 }, 0));
        var augmentation = new Augmentation(new AugmentationOptions(), 0);
        var images = torch.Zeros(2, 1, 8, 6);
        var labels = torch.Zeros([2, 8, 6], DType.Int64);
        Assert.Throws<ArgumentException>(() => augmentation.Apply(images, labels.Float()));
        Assert.Throws<ArgumentException>(() => augmentation.Apply(images, labels.Narrow(1, 0, 4)));
        Assert.Throws<ArgumentException>(() => augmentation.Apply(images, labels, [new SampleTransform { Rot90 = 1 }, SampleTransform.Identity]));
        var (x, _) = augmentation.Apply(images, labels, [new SampleTransform { Rot90 = 2 }, SampleTransform.Identity]);
        Assert.Equal(images.Shape, x.Shape);
    }

    private static long[] Histogram(Tensor labels) =>
        Enumerable.Range(0, K + 1).Select(v => (long)labels.Eq(v).Sum().Item()).ToArray();

    private static void AssertAll(Tensor t, double expected, double tolerance) =>
        Assert.All(t.To(DType.Float64).ToArray<double>(), v => Assert.InRange(v, expected - tolerance, expected + tolerance));

    private static void AssertClose(float[] expected, Tensor actual, double tolerance = 1e-6)
    {
        var a = actual.ToArray<float>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.InRange(a[i], expected[i] - tolerance, expected[i] + tolerance);
    }
}

/// <summary>Augmentation frees every intermediate tensor (counts the process's live tensors, so it runs alone).</summary>
[Collection(SerialCollection.Name)]
public class TransformsMemoryTests
{
    [Fact]
    public void AugmentationLeaksNoTensors()
    {
        var options = new AugmentationOptions
        {
            HorizontalFlipProbability = 0.5, VerticalFlipProbability = 0.5, Rot90Probability = 0.5, RotationProbability = 0.5,
            ZoomProbability = 0.5, BrightnessProbability = 0.5, ContrastProbability = 0.5, GammaProbability = 0.5,
        };
        var augmentation = new Augmentation(options, seed: 2);
        using var images = DisposeScope.Detach(torch.Rand(4, 2, 16, 16));
        using var labels = DisposeScope.Detach(torch.RandInt(0, 3, [4, 16, 16]));
        long before = torch.LiveTensorCount;
        for (int i = 0; i < 5; i++)
        {
            using var scope = new DisposeScope();
            augmentation.Apply(images, labels);
            Intensity.ZScore(images, labels.Unsqueeze(1));
            Resize.Label(labels, 9, 9);
            PadCrop.ToMultiple(images, 8).Padding.Remove(images);
        }
        Assert.Equal(before, torch.LiveTensorCount);
    }
}
