using F = Skd.Torch.Functional;

namespace Skd.Tests.Inference;

/// <summary>Sliding-window inference against whole-image inference, and against resize mode.</summary>
[Collection(SerialCollection.Name)]
public class SlidingWindowTests
{
    [Theory]
    [InlineData(100, 64, 0.5, new long[] { 0, 18, 36 })]      // nnU-Net: ceil(36 / 32) + 1 = 3 windows, step 18
    [InlineData(64, 64, 0.5, new long[] { 0 })]
    [InlineData(50, 16, 0.5, new long[] { 0, 7, 14, 20, 27, 34 })]   // step 34 / 5 = 6.8, rounded half to even
    [InlineData(40, 16, 0.0, new long[] { 0, 12, 24 })]
    public void WindowPositionsAreNnUNets(long size, long window, double overlap, long[] expected) =>
        Assert.Equal(expected, SlidingWindow.Positions(size, window, overlap));

    /// <summary>A per-pixel model (1×1 convolution, tanh): its output at a pixel depends on that pixel only, so it is translation-equivariant.</summary>
    private static Func<Tensor, Tensor> PointwiseModel()
    {
        var weight = Tensor.From(new float[] { 0.7f, -1.2f, 0.3f, 2.0f, -0.5f, 0.9f }, 3, 2, 1, 1);
        var bias = Tensor.From(new float[] { 0.1f, -0.2f, 0.05f });
        DisposeScope.Detach(weight);
        DisposeScope.Detach(bias);
        return x => F.Conv2d(x, weight, bias).Tanh();
    }

    [Theory]
    [InlineData(37, 50, 0.5)]   // windows overlapping unevenly
    [InlineData(33, 16, 0.25)]
    [InlineData(10, 12, 0.5)]   // smaller than one window: padded, then cropped
    public void ATranslationEquivariantModelGivesTheWholeImageLogits(long height, long width, double overlap)
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(7);
        var model = PointwiseModel();
        var slices = torch.Randn(3, 2, height, width);
        var windows = SlidingWindow.Logits(model, slices, 16, overlap, batch: 5);
        var whole = model(slices);
        Assert.Equal(whole.Shape, windows.Shape);
        Assert.True((windows - whole).Abs().Max().Item<float>() < 1e-5f);
    }

    private static (UNet Network, ModelInfo Info) SmallUNet(int inChannels = 1)
    {
        torch.ManualSeed(11);
        var config = new UNetConfig(inChannels, 3, Width: 4, Depth: 2);
        var network = new UNet(config);
        network.Eval();   // as a trained model is run (the predictors fold a copy and leave the network's mode alone)
        return (network, new ModelInfo { Network = config, Size = 16, Normalization = IntensityNormalization.None });
    }

    private static LoadedCase Case(Tensor image) =>
        new() { Files = new CaseFiles("synthetic", ["synthetic.png"], null, CaseStorage.Image2D), Image = image };

    [Fact]
    public void AWindowTheSizeOfTheImageEqualsResizeMode()
    {
        using var scope = new DisposeScope();
        var (network, info) = SmallUNet();
        torch.ManualSeed(12);
        var image = torch.Randn(1, 2, 16, 16);     // (C, D, H, W): two slices of the model's size
        using var c = Case(image);
        using var resize = new Predictor(network, info, new InferenceOptions(InferenceMode.Resize));
        using var windowed = new Predictor(network, info, new InferenceOptions(InferenceMode.SlidingWindow, Batch: 1));
        var byResize = resize.Predict(c);
        var byWindow = windowed.Predict(c);
        Assert.Equal(new long[] { 2, 16, 16 }, byResize.Shape);
        Assert.True(byResize.Eq(byWindow).All().Item<bool>());
        using (torch.NoGrad())
        {
            var slices = image.Transpose(0, 1);
            var logits = SlidingWindow.Logits(network.Logits, slices, 16, 0.5, 1);
            Assert.True((logits - network.Logits(slices)).Abs().Max().Item<float>() < 1e-5f);
        }
    }

    [Fact]
    public void PredictionsHaveTheImageSizeInBothModes()
    {
        using var scope = new DisposeScope();
        var (network, info) = SmallUNet();
        torch.ManualSeed(13);
        using var c = Case(torch.Randn(1, 3, 21, 37));
        foreach (var mode in new[] { InferenceMode.Resize, InferenceMode.SlidingWindow })
        {
            using var predictor = new Predictor(network, info, new InferenceOptions(mode, Batch: 2));
            var labels = predictor.Predict(c);
            Assert.Equal(new long[] { 3, 21, 37 }, labels.Shape);
            Assert.Equal(DType.Int64, labels.DType);
            Assert.True(labels.Ge(0).All().Item<bool>() && labels.Lt(3).All().Item<bool>());
        }
    }

    [Fact]
    public void AnImageWithOtherChannelsThanTheModelIsAClearError()
    {
        using var scope = new DisposeScope();
        var (network, info) = SmallUNet(inChannels: 3);
        using var predictor = new Predictor(network, info, source: "model.safetensors");
        using var c = Case(torch.Randn(1, 1, 16, 16));
        var e = Assert.Throws<ArgumentException>(() => predictor.Predict(c));
        Assert.Contains("synthetic.png: the image has 1 channel(s), but model.safetensors takes 3", e.Message);
    }
}
