namespace Skd.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void RoundTripsEveryDtype()
    {
        using var scope = new DisposeScope();
        Assert.Equal(new[] { 1.5f, -2f, 3f, 4f }, Tensor.From(new[] { 1.5f, -2f, 3f, 4f }, 2, 2).ToArray<float>());
        Assert.Equal(new[] { 1.5, -2.25 }, Tensor.From(new[] { 1.5, -2.25 }).ToArray<double>());
        Assert.Equal(new[] { long.MaxValue, -3L }, Tensor.From(new[] { long.MaxValue, -3L }).ToArray<long>());
        Assert.Equal(new[] { int.MinValue, 7 }, Tensor.From(new[] { int.MinValue, 7 }).ToArray<int>());
        Assert.Equal(new byte[] { 0, 255 }, Tensor.From(new byte[] { 0, 255 }).ToArray<byte>());
        Assert.Equal(new[] { true, false }, Tensor.From(new[] { true, false }).ToArray<bool>());
        Assert.Equal(DType.Bool, Tensor.From(new[] { true }).DType);
        Assert.Equal(DType.UInt8, Tensor.From(new byte[] { 1 }).DType);
        Assert.Equal(DType.Int32, Tensor.From(new[] { 1 }).DType);
        Assert.Equal(3.5f, Tensor.Scalar(3.5f).Item<float>());
        Assert.Empty(Tensor.Scalar(3.5f).Shape);
    }

    [Fact]
    public void ToStringShowsShapeDtypeDevice()
    {
        using var t = torch.Zeros([2, 3], DType.Float32);
        Assert.Equal("tensor(shape=[2, 3], dtype=float32, device=cpu)", t.ToString());
        t.RequiresGrad = true;
        Assert.Equal("tensor(shape=[2, 3], dtype=float32, device=cpu, requires_grad=true)", t.ToString());
    }

    [Fact]
    public void BroadcastingAndPromotionFollowPyTorch()
    {
        using var scope = new DisposeScope();
        var a = Tensor.From(new[] { 1f, 2f, 3f }, 3, 1);
        var b = Tensor.From(new[] { 10f, 20f }, 1, 2);
        Assert.Equal(new long[] { 3, 2 }, (a + b).Shape);
        Assert.Equal(new[] { 11f, 21f, 12f, 22f, 13f, 23f }, (a + b).ToArray<float>());
        var i = Tensor.From(new long[] { 1, 2 });
        Assert.Equal(DType.Int64, (i * 2).DType);
        Assert.Equal(DType.Float32, (i * 2.5).DType);
        Assert.Equal(DType.Float32, (i / 2).DType); // true division, as torch.div
        Assert.Equal(new[] { 0.5f, 1f }, (i / 2).ToArray<float>());
        Assert.Equal(new[] { 9f, 8f }, (10 - Tensor.From(new[] { 1f, 2f })).ToArray<float>());
        Assert.Equal(new[] { 2f, 1f }, (2 / Tensor.From(new[] { 1f, 2f })).ToArray<float>());
        Assert.Equal(new[] { 3f, 0f }, Tensor.From(new[] { 1f, 2f }).Add(Tensor.From(new[] { 1f, -1f }), alpha: 2).ToArray<float>());
    }

    [Fact]
    public void ShapeOps()
    {
        using var scope = new DisposeScope();
        var t = torch.Arange(24, DType.Float32).View(2, 3, 4);
        Assert.Equal(new long[] { 4, 3, 2 }, t.Permute(2, 1, 0).Shape);
        Assert.Equal(new long[] { 2, 4, 3 }, t.Transpose(1, 2).Shape);
        Assert.False(t.Transpose(1, 2).IsContiguous);
        Assert.True(t.Transpose(1, 2).Contiguous().IsContiguous);
        Assert.Equal(new long[] { 6, 4 }, t.Reshape(-1, 4).Shape);
        Assert.Equal(new long[] { 2, 12 }, t.Flatten(1).Shape);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, t.Unsqueeze(0).Shape);
        Assert.Equal(new long[] { 2, 3, 4 }, t.Unsqueeze(0).Squeeze().Shape);
        Assert.Equal(new long[] { 2, 3, 4 }, t.Unsqueeze(1).Squeeze(1).Shape);
        Assert.Equal(new long[] { 4, 3, 4 }, torch.Cat([t, t], 0).Shape);
        Assert.Equal(new long[] { 2, 2, 3, 4 }, torch.Stack([t, t], 1).Shape);
        var chunks = t.Chunk(3, 2);
        Assert.Equal(2, chunks.Length); // 4 split into chunks of 2, as torch.chunk
        Assert.Equal(new long[] { 2, 3, 2 }, chunks[0].Shape);
        var split = t.Split([1, 3], 2);
        Assert.Equal(new long[] { 2, 3, 3 }, split[1].Shape);
        Assert.Equal(new long[] { 2, 3, 1 }, t.Split(3, 2)[1].Shape);
        Assert.Equal(new[] { 5f, 6f }, t.Narrow(2, 1, 2)[0][1].ToArray<float>());
        Assert.Equal(new[] { 0f, 2f }, t[0][0].Slice(0, 0, 4, 2).ToArray<float>());
        Assert.Equal(new[] { 3f, 1f }, t[0][0].IndexSelect(0, Tensor.From(new long[] { 3, 1 })).ToArray<float>());
        Assert.Equal(new[] { 1f, 0f }, t[0][0].Gather(0, Tensor.From(new long[] { 1, 0 })).ToArray<float>());
        Assert.Equal(new long[] { 2, 3, 4, 5 }, t.Unsqueeze(3).Expand(2, 3, 4, 5).Shape);
        Assert.Equal(new long[] { 4, 6, 4 }, t.Repeat(2, 2, 1).Shape);
        Assert.Equal(new[] { 3f, 2f, 1f, 0f }, t[0][0].Flip(0).ToArray<float>());
        var m = Tensor.From(new[] { 1f, 2f, 3f, 4f }, 2, 2);
        Assert.Equal(new[] { 2f, 4f, 1f, 3f }, m.Rot90(1, 0, 1).ToArray<float>());
    }

    [Fact]
    public void ReductionsAndComparisons()
    {
        using var scope = new DisposeScope();
        var t = Tensor.From(new[] { 1f, 5f, 3f, 2f, 0f, 4f }, 2, 3);
        Assert.Equal(15f, t.Sum().Item<float>());
        Assert.Equal(new[] { 3f, 5f, 7f }, t.Sum(0).ToArray<float>());
        Assert.Equal(new long[] { 2, 1 }, t.Mean(1, keepDim: true).Shape);
        Assert.Equal(2.5, t.Mean().Item(), 6);
        Assert.Equal(5f, t.Max().Item<float>());
        Assert.Equal(0f, t.Min().Item<float>());
        var (values, indices) = t.Max(1);
        Assert.Equal(new[] { 5f, 4f }, values.ToArray<float>());
        Assert.Equal(new long[] { 1, 2 }, indices.ToArray<long>());
        Assert.Equal(new long[] { 1, 2 }, t.Argmax(1).ToArray<long>());
        Assert.Equal(1L, t.Argmax().Item<long>());
        Assert.Equal(Math.Sqrt(55), t.Norm().Item(), 5);
        Assert.Equal(new[] { true, false, false, false, false, false }, t.Eq(1).ToArray<bool>());
        Assert.Equal(new[] { false, true, true, false, false, true }, t.Gt(2).ToArray<bool>());
        Assert.Equal(3L, t.Gt(2).Sum().Item<long>());
        Assert.True(t.Ge(0).All().Item<bool>());
        Assert.Equal(new[] { 0f, 5f, 3f, 0f, 0f, 4f }, torch.Where(t.Gt(2), t, torch.ZerosLike(t)).ToArray<float>());
        Assert.Equal(new[] { 1f, 3f, 3f, 2f, 1f, 3f }, t.Clamp(1, 3).ToArray<float>());
        Assert.Equal(Math.Sqrt(3.5), t.Std().Item(), 5);
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 4f, 5f }, t.Flatten().Sort().Values.ToArray<float>());
    }

    [Fact]
    public void InPlaceOpsChangeTheTensor()
    {
        using var scope = new DisposeScope();
        var t = Tensor.From(new[] { 1.0, 2.0 });
        t.Mul_(3).Add_(1);
        Assert.Equal(new[] { 4.0, 7.0 }, t.ToArray<double>());
        t.Addcmul_(Tensor.From(new[] { 1.0, 2.0 }), Tensor.From(new[] { 3.0, 4.0 }), 0.5);
        Assert.Equal(new[] { 5.5, 11.0 }, t.ToArray<double>());
        t.Zero_();
        Assert.Equal(new[] { 0.0, 0.0 }, t.ToArray<double>());
        t.Fill_(2.5);
        Assert.Equal(new[] { 2.5, 2.5 }, t.ToArray<double>());
        t.AsSpan<double>()[1] = -1;
        Assert.Equal(new[] { 2.5, -1.0 }, t.ToArray<double>());
    }

    [Fact]
    public void AutogradBasics()
    {
        using var scope = new DisposeScope();
        var x = Tensor.From(new[] { 1.0, 2.0 }).RequiresGrad_();
        Assert.True(x.IsLeaf);
        var y = (x * x).Sum();
        Assert.False(y.IsLeaf);
        y.Backward();
        Assert.Equal(new[] { 2.0, 4.0 }, x.Grad!.ToArray<double>());
        x.Grad = null;
        Assert.Null(x.Grad);
        using (torch.NoGrad())
        {
            Assert.False(torch.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
        }
        Assert.True(torch.IsGradEnabled);
        Assert.False(x.Detach().RequiresGrad);
    }

    [Fact]
    public void GradOfAnIntermediateLeavesParameterGradientsAndTheGraphAlone()
    {
        using var scope = new DisposeScope();
        var w = Tensor.From(new[] { 1.0, 2.0 }).RequiresGrad_();
        var h = w * 3;                                  // an intermediate, as a network's features
        var y = (h * h).Sum();
        Assert.Equal(new[] { 6.0, 12.0 }, torch.Grad(y, h)!.ToArray<double>());   // 2h
        Assert.Null(w.Grad);                            // no accumulation into the parameter
        var unrelated = (w * w).Sum();
        Assert.Null(torch.Grad(unrelated, h));          // does not depend on h
        y.Backward();                                   // the graph was retained
        Assert.Equal(new[] { 18.0, 36.0 }, w.Grad!.ToArray<double>());   // 18w
        Assert.Contains("does not require grad", Assert.ThrowsAny<Exception>(() => torch.Grad(Tensor.From(new[] { 1.0 }).Sum(), h)).Message);
    }

    [Fact]
    public void ThreadCountCanBeSet()
    {
        int before = torch.NumThreads;
        torch.NumThreads = 1;
        Assert.Equal(1, torch.NumThreads);
        torch.NumThreads = before;
        Assert.Throws<ArgumentOutOfRangeException>(() => torch.NumThreads = 0);
    }

    [Fact]
    public void RuntimeReportsVersionAndDevices()
    {
        Assert.StartsWith("1.", torch.Version.Length > 0 ? torch.Version : "missing");
        Assert.Contains(Device.Cpu, torch.Devices);
        Assert.Equal(torch.CudaDeviceCount + 1, torch.Devices.Count);
        Assert.NotEqual("unknown", torch.BlasLibrary);
    }

    [Theory]
    [InlineData("cpu", DeviceType.Cpu, -1)]
    [InlineData("cuda", DeviceType.Cuda, 0)]
    [InlineData("CUDA:2", DeviceType.Cuda, 2)]
    public void ParsesDevices(string text, DeviceType type, int index) => Assert.Equal(new Device(type, index), Device.Parse(text));
}
