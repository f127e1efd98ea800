using Google.Protobuf;

namespace Skd.Tests.Export;

/// <summary>The exported graph run by ONNX Runtime against the same U-Net run by libtorch.</summary>
[Collection(SerialCollection.Name)]
public class OnnxParityTests
{
    /// <summary>Every width 4..64 and every depth 2..5 at least once, kept small enough for CI.</summary>
    public static TheoryData<int, int, bool> Shapes() => new()
    {
        { 4, 2, true }, { 4, 5, true }, { 8, 3, true }, { 16, 4, true }, { 32, 3, true }, { 64, 2, true },
        { 8, 4, false }, { 16, 2, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LogitsAgreeWithin1e4AndLabelsAreIdentical(int width, int depth, bool foldBatchNorm)
    {
        using var scope = new DisposeScope();
        var (network, info) = TrainedLookingUNet(inChannels: 2, classes: 3, width, depth, seed: (ulong)(width * 10 + depth));
        using var _ = network;
        using var engine = OnnxEngine(network, info, new OnnxExportOptions(FoldBatchNorm: foldBatchNorm));
        long m = 1L << depth;
        // Batch 2 at a non-square size, odd multiples of 2^depth.
        var batch = torch.Randn(2, 2, 3 * m, 5 * m);
        Tensor expected;
        using (torch.NoGrad()) expected = network.Logits(batch);
        var actual = engine.Logits(batch);
        Assert.Equal(expected.Shape, actual.Shape);
        double difference = (actual - expected).Abs().Max().Item();
        Assert.True(difference <= 1e-4, $"w{width} d{depth}: logits differ by {difference:E2} (largest |logit| {expected.Abs().Max().Item():F2})");
        Assert.True(actual.Argmax(1).Eq(expected.Argmax(1)).All().Item<bool>(), $"w{width} d{depth}: label maps differ");
    }

    [Theory]
    [InlineData(InferenceMode.Resize)]
    [InlineData(InferenceMode.SlidingWindow)]
    public void ThePredictorGivesIdenticalLabelMapsOnOddSizedCasesInBothEngines(InferenceMode mode)
    {
        using var scope = new DisposeScope();
        var (network, info) = TrainedLookingUNet(inChannels: 1, classes: 3, width: 8, depth: 3, seed: 5);
        using var _ = network;
        torch.ManualSeed(17);
        using var c = new LoadedCase
        {
            Files = new CaseFiles("odd", ["odd.png"], null, CaseStorage.Image2D), Image = torch.Randn(1, 3, 37, 53),
        };
        var options = new InferenceOptions(mode, Batch: 2);
        using var byTorch = new Predictor(network, info, options);
        using var byOnnx = new Predictor(OnnxEngine(network, info, new OnnxExportOptions()), info, options);
        Assert.Equal(InferenceEngineKind.Onnx, byOnnx.Engine);
        var expected = byTorch.Predict(c);
        var actual = byOnnx.Predict(c);
        Assert.Equal(new long[] { 3, 37, 53 }, actual.Shape);
        Assert.True(actual.Eq(expected).All().Item<bool>());
    }

    [Fact]
    public void AnOnnxEngineRefusesASizeTheUNetCannotTake()
    {
        using var scope = new DisposeScope();
        var (network, info) = TrainedLookingUNet(inChannels: 1, classes: 2, width: 4, depth: 2, seed: 1);
        using var _ = network;
        using var engine = OnnxEngine(network, info, new OnnxExportOptions());
        var e = Assert.Throws<ArgumentException>(() => engine.Logits(torch.Randn(1, 1, 18, 16)));
        Assert.Contains("multiples of 4", e.Message);
    }

    [Fact]
    public void OnnxRuntimeTakesLibtorchsThreadCount()
    {
        var (network, info) = TrainedLookingUNet(inChannels: 1, classes: 2, width: 4, depth: 2, seed: 1);
        using var _ = network;
        int before = torch.NumThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                torch.NumThreads = threads;
                using var engine = OnnxEngine(network, info, new OnnxExportOptions());
                Assert.Equal(threads, engine.Threads);
            }
        }
        finally
        {
            torch.NumThreads = before;
        }
    }

    /// <summary>
    /// A seeded U-Net whose batch norms have running statistics and affine parameters away from their
    /// initial 0/1 (as after training), so that folding them is exercised.
    /// </summary>
    internal static (UNet Network, ModelInfo Info) TrainedLookingUNet(int inChannels, int classes, int width, int depth, ulong seed)
    {
        torch.ManualSeed(seed);
        var config = new UNetConfig(inChannels, classes, width, depth);
        var network = new UNet(config);
        using (torch.NoGrad())
        using (var scope = new DisposeScope())
            foreach (var (name, t) in network.StateDict())
            {
                if (name.EndsWith(".running_mean")) t.Copy_(torch.Randn(t.Shape) * 0.1);
                else if (name.EndsWith(".running_var")) t.Copy_(torch.Rand(t.Shape) + 0.5);
                else if (name.EndsWith(".bias") && !name.StartsWith("outc")) t.Copy_(torch.Randn(t.Shape) * 0.1);
            }
        network.Eval();
        return (network, new ModelInfo { Network = config, Size = 8 << depth, Normalization = IntensityNormalization.None, ClassNames = [.. Enumerable.Range(0, classes).Select(k => $"class{k}")] });
    }

    internal static OnnxRuntimeEngine OnnxEngine(UNet network, ModelInfo info, OnnxExportOptions options) =>
        new(UNetOnnxExporter.Export(network, info, options).ToByteArray(), info.Network, "test.onnx");
}
