namespace Skd.Torch.Tests;

/// <summary>The native caching allocator keeps freed blocks of 1 MiB and more for reuse, and gives them back on request.</summary>
[Collection(SerialCollection.Name)]
public class CpuBlockCacheTests
{
    [Fact]
    public void LargeBlocksAreKeptReusedAndReturned()
    {
        torch.EmptyCpuCache();
        Assert.Equal(0, torch.CpuCacheIdleBytes);
        const long bytes = 4L << 20;
        torch.Zeros([bytes / 4]).Dispose();
        Assert.Equal(bytes, torch.CpuCacheIdleBytes);          // freed, kept
        using (var again = torch.Ones([bytes / 4]))
        {
            Assert.Equal(0, torch.CpuCacheIdleBytes);          // the same block, taken back
            Assert.Equal(bytes / 4, again.Sum().Item<float>()); // and correctly filled
        }
        torch.Zeros([1000]).Dispose();                           // small blocks are not cached
        Assert.Equal(bytes, torch.CpuCacheIdleBytes);
        torch.EmptyCpuCache();
        Assert.Equal(0, torch.CpuCacheIdleBytes);
    }

    [Fact]
    public void ConvolutionsThroughOneDnnUseIt()
    {
        // oneDNN allocates through libtorch's raw_allocate, which needs data == context.
        using var conv = new Conv2d(8, 16, 3, padding: 1);
        using var scope = new DisposeScope();
        var x = torch.Randn(4, 8, 64, 64).RequiresGrad_();
        conv.Forward(x).Sum().Backward();
        Assert.True(torch.CpuCacheIdleBytes > 0);
    }
}
