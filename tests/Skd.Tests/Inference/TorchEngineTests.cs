using Skd.Torch.Nn;

namespace Skd.Tests.Inference;

/// <summary>The torch engine's fast path: batch norms folded into the convolutions, the network it was given left alone.</summary>
[Collection(SerialCollection.Name)]
public class TorchEngineTests
{
    [Theory]
    [InlineData(MemoryFormat.Contiguous)]
    [InlineData(MemoryFormat.ChannelsLast)]
    public void FoldedLogitsEqualTheUnfoldedNetworksWithin1e4(MemoryFormat format)
    {
        var (network, _) = OnnxParityTests.TrainedLookingUNet(inChannels: 2, classes: 3, width: 8, depth: 3, seed: 21);
        using (network)
        using (var scope = new DisposeScope())
        {
            var before = network.StateDict().Select(kv => kv.Key).ToList();
            using var engine = new TorchEngine(network, ownsNetwork: false, format);
            torch.ManualSeed(22);
            var batch = torch.Randn(2, 2, 64, 48);
            Tensor expected;
            using (torch.NoGrad()) expected = network.Logits(batch);
            var folded = engine.Logits(batch);
            Assert.True(folded.IsContiguousIn(format));
            Assert.False(folded.RequiresGrad);
            double difference = (folded - expected).Abs().Max().Item();
            Assert.True(difference < 1e-4, $"folded logits differ by {difference}");
            Assert.Equal(before, network.StateDict().Select(kv => kv.Key));   // the caller's network keeps its batch norms
            Assert.Contains(network.NamedModules(), m => m.Module is BatchNorm2d);
        }
    }

    [Fact]
    public void FoldingReplacesEveryBatchNormAfterAConvolution()
    {
        var (network, _) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 2, width: 4, depth: 2, seed: 3);
        using (network)
        {
            int norms = network.NamedModules().Count(m => m.Module is BatchNorm2d);
            Assert.Equal(norms, BatchNormFolding.FoldInPlace(network));
            Assert.DoesNotContain(network.NamedModules(), m => m.Module is BatchNorm2d);
            Assert.DoesNotContain(network.StateDict(), kv => kv.Key.Contains("running_mean"));
        }
    }

    [Fact]
    public void FoldingANetworkInTrainingModeIsRefused()
    {
        torch.ManualSeed(1);
        using var network = new UNet(new UNetConfig(1, 2, 4, 2));
        Assert.Contains("evaluation mode", Assert.Throws<InvalidOperationException>(() => BatchNormFolding.FoldInPlace(network)).Message);
    }
}
