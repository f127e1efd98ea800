namespace Skd.Torch.Tests;

/// <summary>Tensors and modules laid out channels-last compute what contiguous ones do.</summary>
public class MemoryFormatTests
{
    [Fact]
    public void ChannelsLastPutsTheChannelsInnermostAndKeepsTheValues()
    {
        using var scope = new DisposeScope();
        var x = torch.Randn(2, 3, 4, 5);
        var laidOut = x.Contiguous(MemoryFormat.ChannelsLast);
        Assert.Equal([60L, 1, 15, 3], laidOut.Strides);
        Assert.True(laidOut.IsContiguousIn(MemoryFormat.ChannelsLast));
        Assert.False(laidOut.IsContiguous);
        Assert.Equal(x.Shape, laidOut.Shape);
        Assert.Equal(x.Contiguous().ToArray<float>(), laidOut.Contiguous().ToArray<float>());
        Assert.True(laidOut.Contiguous(MemoryFormat.Contiguous).IsContiguous);
    }

    [Fact]
    public void ChannelsLastOfATensorThatIsNot4DIsAnError()
    {
        using var x = torch.Randn(3, 4, 5);
        var e = Assert.ThrowsAny<TorchException>(() => x.Contiguous(MemoryFormat.ChannelsLast));
        Assert.Contains("rank 4", e.Message);
    }

    [Fact]
    public void ModuleToLaysOutConvolutionWeightsInPlaceAndRecordsTheFormat()
    {
        torch.ManualSeed(1);
        using var net = new Sequential(new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ConvTranspose2d(4, 2, 2, stride: 2));
        var weights = net.Parameters().ToList();
        var before = weights.Select(w => w.Contiguous().ToArray<float>()).ToList();
        net.To(MemoryFormat.ChannelsLast);
        Assert.All(net.NamedModules(), m => Assert.Equal(MemoryFormat.ChannelsLast, m.Module.MemoryFormat));
        Assert.Equal(weights, net.Parameters());   // the same objects: an optimiser's references stay valid
        Assert.All(net.Parameters().Where(p => p.Dim == 4), p => Assert.True(p.IsContiguousIn(MemoryFormat.ChannelsLast) && !p.IsContiguous));
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.Equal(before, net.Parameters().Select(w => w.Contiguous().ToArray<float>()));
    }

    [Fact]
    public void TransposedConvolutionKeepsChannelsLastAndComputesTheSame()
    {
        torch.ManualSeed(2);
        using var up = new ConvTranspose2d(4, 3, 2, stride: 2);
        using var scope = new DisposeScope();
        var x = torch.Randn(2, 4, 6, 6);
        var contiguous = up.Forward(x);
        up.To(MemoryFormat.ChannelsLast);
        var channelsLast = up.Forward(x.Contiguous(MemoryFormat.ChannelsLast));
        Assert.True(channelsLast.IsContiguousIn(MemoryFormat.ChannelsLast));
        Assert.True((channelsLast - contiguous).Abs().Max().Item() < 1e-5);
    }

    [Fact]
    public void MemoryFormatNamesParseAndAnUnknownOneIsNamed()
    {
        Assert.Equal(MemoryFormat.ChannelsLast, MemoryFormats.Parse("channels-last"));
        Assert.Equal(MemoryFormat.Contiguous, MemoryFormats.Parse("contiguous"));
        Assert.All(MemoryFormats.Names, n => Assert.Equal(n, MemoryFormats.Parse(n).Name()));
        var e = Assert.Throws<ArgumentException>(() => MemoryFormats.Parse("nhwc"));
        Assert.Contains("'nhwc'", e.Message);
    }
}
