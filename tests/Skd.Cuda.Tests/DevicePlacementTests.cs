namespace Skd.Cuda.Tests;

/// <summary>Tensors, modules and a training step placed on the GPU stay there and compute what the CPU computes.</summary>
[Trait("Category", "Cuda")]
public sealed class DevicePlacementTests
{
    private readonly Device gpu = CudaMachine.Gpu;

    [Fact]
    public void TensorsMoveToTheGpuAndBackUnchanged()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(1);
        var cpu = torch.Randn(3, 5);
        var there = cpu.To(gpu);
        Assert.Equal(gpu, there.Device);
        Assert.Equal(gpu, torch.Zeros([2, 2], DType.Float32, gpu).Device);
        Assert.Equal(gpu, torch.RandInt(0, 4, [6], DType.Int64, gpu).Device);
        var back = there.Cpu();
        Assert.Equal(Device.Cpu, back.Device);
        Assert.True(back.Eq(cpu).All().Item<bool>());
    }

    [Fact]
    public void AUNetOnTheGpuComputesTheCpusLogits()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(2);
        using var network = new UNet(new UNetConfig(1, 3, Width: 8, Depth: 3));
        network.Eval();
        var images = torch.Randn(2, 1, 32, 32);
        Tensor expected;
        using (torch.NoGrad()) expected = network.Logits(images);
        network.To(gpu);
        Assert.All(network.Parameters(), p => Assert.Equal(gpu, p.Device));
        Tensor actual;
        using (torch.NoGrad()) actual = network.Logits(images.To(gpu));
        Assert.Equal(gpu, actual.Device);
        double difference = (actual.Cpu() - expected).Abs().Max().Item<float>();
        Assert.True(difference < 1e-3, $"GPU and CPU logits differ by up to {difference}");
    }

    [Fact]
    public void ATrainingStepOnTheGpuKeepsParametersGradientsAndOptimiserStateThere()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(3);
        using var method = Methods.Create("supervised", new UNetConfig(1, 2, Width: 4, Depth: 2));
        method.To(gpu);
        using var optimizer = new Adam(method.TrainableParameters(), lr: 1e-3);
        var before = method.TrainableParameters().Select(p => p.Detach().Clone()).ToList();
        var images = torch.Randn(4, 1, 16, 16).To(gpu);
        var labels = images.Select(1, 0).Gt(0.5).Long();
        var loss = method.Loss(images, labels, new TrainingStep(0, 1, 0, 1)).Total;
        Assert.Equal(gpu, loss.Device);
        loss.Backward();
        optimizer.Step();
        Assert.True(float.IsFinite(loss.Item<float>()));
        var after = method.TrainableParameters().ToList();
        Assert.All(after, p => Assert.Equal(gpu, p.Device));
        Assert.All(after, p => Assert.Equal(gpu, p.Grad!.Device));
        Assert.Contains(after.Zip(before), pair => !pair.First.Eq(pair.Second).All().Item<bool>());
    }
}
