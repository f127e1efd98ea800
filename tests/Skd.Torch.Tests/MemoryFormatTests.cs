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

    /// <summary>
    /// A transposed convolution whose kernel equals its stride (run by the shim as a 1×1 convolution and a pixel
    /// shuffle) against its definition, y[n, o, k·h + i, k·w + j] = b[o] + Σ_c x[n, c, h, w]·W[c, o, i, j], in both
    /// memory formats, each output in its input's format.
    /// </summary>
    [Theory]
    [InlineData(2, MemoryFormat.Contiguous)]
    [InlineData(2, MemoryFormat.ChannelsLast)]
    [InlineData(3, MemoryFormat.ChannelsLast)]
    public void TransposedConvolutionWithKernelEqualToStrideIsItsDefinition(long k, MemoryFormat format)
    {
        torch.ManualSeed(3);
        using var scope = new DisposeScope();
        const long n = 2, cin = 3, cout = 4, h = 3, w = 5;
        var x = torch.Randn([n, cin, h, w], DType.Float64);
        var weight = torch.Randn([cin, cout, k, k], DType.Float64);
        var bias = torch.Randn([cout], DType.Float64);
        var y = Functional.ConvTranspose2d(x.Contiguous(format), weight.Contiguous(format), bias, stride: (k, k));
        Assert.Equal([n, cout, k * h, k * w], y.Shape);
        Assert.True(y.IsContiguousIn(format));
        double[] xs = x.ToArray<double>(), ws = weight.ToArray<double>(), bs = bias.ToArray<double>(), ys = y.Contiguous().ToArray<double>();
        for (long b = 0; b < n; b++)
        for (long o = 0; o < cout; o++)
        for (long r = 0; r < k * h; r++)
        for (long q = 0; q < k * w; q++)
        {
            double expected = bs[o];
            for (long c = 0; c < cin; c++)
                expected += xs[((b * cin + c) * h + r / k) * w + q / k] * ws[((c * cout + o) * k + r % k) * k + q % k];
            Assert.Equal(expected, ys[((b * cout + o) * k * h + r) * k * w + q], 12);
        }
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
