namespace Skd.Tests.Models;

/// <summary>
/// The U-Net against milesial/Pytorch-UNet rebuilt in PyTorch (Fixtures/make_unet_fixture.py):
/// parameter counts, state-dict names, and the logits of the same seed in train and eval mode; its
/// features, input checks and checkpoints.
/// </summary>
[Collection(SerialCollection.Name)]
public class UNetTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "unet_reference.json"))).RootElement;

    private static readonly UNetConfig Tiny = new(InChannels: 1, Classes: 3, Width: 4, Depth: 2);

    private static Tensor Float(JsonElement e) => Tensor.From(
        e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
        e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    private static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.Shape, b.Shape);
        using var scope = new DisposeScope();
        return (a - b).Abs().Max().Item();
    }

    [Fact]
    public void HasMilesialsParameterCountsAndNames()
    {
        using (var w16 = new UNet(new UNetConfig(1, 2, Width: 16)))
        {
            Assert.Equal(1_942_306, w16.ParameterCount);
            Assert.Equal(Fx.GetProperty("parameters_w16").GetInt64(), w16.ParameterCount);
            Assert.Equal(Fx.GetProperty("keys_w16").EnumerateArray().Select(k => k.GetString()), w16.StateDict().Select(kv => kv.Key));
        }
        using var w64 = new UNet(new UNetConfig(1, 2, Width: 64));
        Assert.Equal(31_036_546, w64.ParameterCount);
    }

    [Fact]
    public void MatchesPyTorchInTrainAndEvalMode()
    {
        var tiny = Fx.GetProperty("tiny");
        using var scope = new DisposeScope();
        torch.ManualSeed(0);
        using var net = new UNet(Tiny);
        var x = Float(tiny.GetProperty("x"));
        Assert.True(MaxAbsDiff(Float(tiny.GetProperty("logits_train")), net.Forward(x).Logits) < 1e-5, "train-mode logits");
        net.Eval();
        using (torch.NoGrad())
            Assert.True(MaxAbsDiff(Float(tiny.GetProperty("logits_eval")), net.Forward(x).Logits) < 1e-5, "eval-mode logits");
    }

    [Fact]
    public void ExposesEveryStagesFeatures()
    {
        using var scope = new DisposeScope();
        var config = new UNetConfig(InChannels: 2, Classes: 3, Width: 4, Depth: 3);
        using var net = new UNet(config);
        using var output = net.Forward(torch.Randn(2, 2, 32, 48));
        Assert.Equal([2L, 3, 32, 48], output.Logits.Shape);
        Assert.Equal([[2L, 4, 32, 48], [2L, 8, 16, 24], [2L, 16, 8, 12], [2L, 32, 4, 6]], output.EncoderFeatures.Select(t => t.Shape));
        Assert.Equal([[2L, 16, 8, 12], [2L, 8, 16, 24], [2L, 4, 32, 48]], output.DecoderFeatures.Select(t => t.Shape));
        Assert.Same(output.DecoderFeatures[^1], output.Penultimate);
        Assert.Equal(0, MaxAbsDiff(net.Head.Forward(output.Penultimate), output.Logits));
    }

    [Fact]
    public void LogitsAloneLeaveNoFeatureBehind()
    {
        torch.ManualSeed(3);
        using var net = new UNet(Tiny);
        net.Eval();
        using var x = torch.Randn(1, 1, 16, 16);
        long before = torch.LiveTensorCount;
        using (var output = net.Forward(x))
        using (var logits = net.Logits(x))
        {
            Assert.Equal(0, MaxAbsDiff(output.Logits, logits));
        }
        Assert.Equal(before, torch.LiveTensorCount);
    }

    [Fact]
    public void RejectsSizesThatDoNotHalveEvenly()
    {
        using var scope = new DisposeScope();
        using var net = new UNet(Tiny);
        var e = Assert.Throws<ArgumentException>(() => net.Forward(torch.Zeros(1, 1, 18, 16)));
        Assert.Contains("multiples of 4", e.Message);
        Assert.Contains("18×16", e.Message);
        e = Assert.Throws<ArgumentException>(() => net.Forward(torch.Zeros(1, 3, 16, 16)));
        Assert.Contains("B×1×H×W", e.Message);
        Assert.Throws<ArgumentException>(() => new UNet(Tiny with { Depth = 0 }));
    }

    [Fact]
    public void CheckpointsRoundTripAndRefuseAnotherWidth()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skd-unet-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var scope = new DisposeScope();
            using var x = torch.Randn(2, 1, 16, 16);
            using var trained = new UNet(Tiny);
            trained.Forward(x);   // moves the batch-norm running statistics away from their initial values
            trained.Eval();
            SafetensorsFile.Save(path, trained.StateDict());

            using var restored = new UNet(Tiny);
            using var contents = Safetensors.Load(path);
            restored.LoadStateDict(contents.Tensors);
            restored.Eval();
            Assert.Equal(0, MaxAbsDiff(trained.Logits(x), restored.Logits(x)));

            using var wider = new UNet(Tiny with { Width = 8 });
            var e = Assert.Throws<TorchShapeException>(() => wider.LoadStateDict(contents.Tensors));
            Assert.Contains("inc.double_conv.0.weight: expected [8, 1, 3, 3], got [4, 1, 3, 3]", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InChannelsLastEveryStageKeepsTheLayoutAndTheLogitsMatch()
    {
        torch.ManualSeed(6);
        var config = new UNetConfig(3, 2, 4, 3);
        using var network = new UNet(config);
        using var scope = new DisposeScope();
        var images = torch.Randn(2, 3, 32, 32);
        var expected = network.Forward(images).Logits;
        network.To(MemoryFormat.ChannelsLast);
        var output = network.Forward(images);   // a contiguous batch: laid out at the model's boundary
        Assert.All(output.EncoderFeatures.Concat(output.DecoderFeatures).Append(output.Logits),
            t => Assert.True(t.IsContiguousIn(MemoryFormat.ChannelsLast), $"a feature of shape [{string.Join(", ", t.Shape)}] has strides [{string.Join(", ", t.Strides)}]"));
        Assert.True((output.Logits - expected).Abs().Max().Item() < 1e-4);
    }
}
