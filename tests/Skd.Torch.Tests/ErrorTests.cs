using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>libtorch's errors arrive as typed exceptions with libtorch's message; nothing crashes.</summary>
public class ErrorTests
{
    [Fact]
    public void BroadcastMismatchIsAShapeError()
    {
        using var scope = new DisposeScope();
        var ex = Assert.Throws<TorchShapeException>(() => torch.Zeros(3) + torch.Zeros(4));
        Assert.Contains("must match the size", ex.Message);
        Assert.DoesNotContain("frame #", ex.Message); // libtorch's C++ backtrace stays out
    }

    [Fact]
    public void ConvChannelMismatchIsAShapeError()
    {
        using var scope = new DisposeScope();
        using var conv = new Conv2d(3, 4, 3);
        var ex = Assert.Throws<TorchShapeException>(() => conv.Forward(torch.Zeros(1, 2, 8, 8)));
        Assert.Contains("channels", ex.Message);
    }

    [Fact]
    public void InvalidViewAndMatmulAreShapeErrors()
    {
        using var scope = new DisposeScope();
        Assert.Throws<TorchShapeException>(() => torch.Zeros(4).View(5));
        Assert.Throws<TorchShapeException>(() => torch.Zeros(2, 3).Matmul(torch.Zeros(4, 5)));
        Assert.Throws<TorchShapeException>(() => Tensor.From(new[] { 1f, 2f, 3f }, 2, 2));
        Assert.Throws<TorchShapeException>(() => torch.Cat([torch.Zeros(2, 3), torch.Zeros(3, 2)], 0));
    }

    [Fact]
    public void WrongDtypesAreDtypeErrors()
    {
        using var scope = new DisposeScope();
        // Cross-entropy needs int64 class indices, not float labels.
        Assert.Throws<TorchDtypeException>(() => F.CrossEntropy(torch.Zeros(2, 3), torch.Zeros(2)));
        // A float64 input into float32 weights.
        using var conv = new Conv2d(1, 1, 3);
        Assert.Throws<TorchDtypeException>(() => conv.Forward(torch.Zeros([1, 1, 5, 5], DType.Float64)));
        // Reading a float tensor as another managed type.
        Assert.Throws<TorchDtypeException>(() => torch.Zeros(2).ToArray<long>());
    }

    [Fact]
    public void IndexOutOfRangeIsAnIndexError()
    {
        using var scope = new DisposeScope();
        Assert.Throws<TorchIndexException>(() => torch.Zeros(3).Select(0, 5));
        var target = Tensor.From(new long[] { 0, 7 });
        Assert.ThrowsAny<TorchException>(() => F.CrossEntropy(torch.Zeros(2, 3), target));
    }

    [Fact]
    public void CudaRequestWithoutCudaIsDeviceUnavailable()
    {
        if (torch.CudaIsAvailable)
        {
            // On a GPU machine, ask for one device more than there is.
            Assert.Throws<DeviceUnavailableException>(() => torch.Zeros([1], device: Device.Cuda(torch.CudaDeviceCount)));
            return;
        }
        var ex = Assert.Throws<DeviceUnavailableException>(() => torch.Zeros([2], device: Device.Cuda()));
        Assert.Contains("CUDA is not available", ex.Message);
        using var t = torch.Zeros(2);
        Assert.Throws<DeviceUnavailableException>(() => t.To(Device.Parse("cuda:0")));
        using var conv = new Conv2d(1, 1, 1);
        Assert.Throws<DeviceUnavailableException>(() => conv.To(Device.Cuda()));
    }

    [Fact]
    public void AnImpossibleAllocationIsOutOfMemory()
    {
        var ex = Assert.Throws<TorchOutOfMemoryException>(() => torch.Empty([1L << 44], DType.Float32));
        Assert.Contains("can't allocate memory", ex.Message);
    }

    [Fact]
    public void UsingADisposedTensorThrows()
    {
        var t = torch.Zeros(2);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t + 1);
        t.Dispose(); // a second dispose is harmless
    }

    [Fact]
    public void ErrorsDoNotLeakIntoLaterCalls()
    {
        using var scope = new DisposeScope();
        Assert.ThrowsAny<TorchException>(() => torch.Zeros(3) + torch.Zeros(4));
        Assert.Equal(0.0, torch.Zeros(1).Item());
    }

    [Fact]
    public void ErrorsAreRaisedOnTheThreadThatCausedThem()
    {
        Exception? other = null;
        var thread = new Thread(() =>
        {
            try { using var s = new DisposeScope(); _ = torch.Zeros(3) + torch.Zeros(4); }
            catch (Exception e) { other = e; }
        });
        thread.Start();
        thread.Join();
        Assert.IsType<TorchShapeException>(other);
        using var scope = new DisposeScope();
        Assert.Equal(2.0, (torch.Ones(2)).Sum().Item());
    }
}
