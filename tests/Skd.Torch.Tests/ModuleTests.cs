namespace Skd.Torch.Tests;

public class ModuleTests
{
    private sealed class Block : Module<Tensor, Tensor>
    {
        public readonly Sequential Body;
        public readonly ModuleList<Conv2d> Heads;

        public Block()
        {
            Body = RegisterModule("body", new Sequential(new Conv2d(1, 4, 3, padding: 1, bias: false), new BatchNorm2d(4), new ReLU()));
            Heads = RegisterModule("heads", new ModuleList<Conv2d>([new Conv2d(4, 2, 1), new Conv2d(4, 3, 1)]));
        }

        public override Tensor Forward(Tensor input) => Heads[0].Forward(Body.Forward(input));
    }

    [Fact]
    public void StateDictUsesPyTorchDottedNamesInPyTorchOrder()
    {
        using var block = new Block();
        Assert.Equal(
            new[]
            {
                "body.0.weight", "body.1.weight", "body.1.bias", "body.1.running_mean", "body.1.running_var",
                "body.1.num_batches_tracked", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
            },
            block.StateDict().Select(kv => kv.Key));
        Assert.Equal(new[] { "body.0.weight", "body.1.weight", "body.1.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias" },
            block.NamedParameters().Select(p => p.Name));
        Assert.Equal(36 + 4 + 4 + 8 + 2 + 12 + 3, block.ParameterCount);
        Assert.All(block.Parameters(), p => Assert.True(p.RequiresGrad));
        Assert.All(block.NamedBuffers(), b => Assert.False(b.Buffer.RequiresGrad));
    }

    [Fact]
    public void LoadStateDictCopiesValuesAndReportsMismatches()
    {
        using var a = new Block();
        using var b = new Block();
        b.LoadStateDict(a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value));
        foreach (var ((_, pa), (_, pb)) in a.StateDict().Zip(b.StateDict()))
            Assert.Equal(pa.To(DType.Float64).ToArray<double>(), pb.To(DType.Float64).ToArray<double>());

        var partial = a.StateDict().Where(kv => !kv.Key.StartsWith("heads.1")).ToDictionary(kv => kv.Key, kv => kv.Value);
        var ex = Assert.Throws<TorchShapeException>(() => b.LoadStateDict(partial));
        Assert.Contains("missing keys: heads.1.weight, heads.1.bias", ex.Message);
        var result = b.LoadStateDict(partial, strict: false);
        Assert.Equal(new[] { "heads.1.weight", "heads.1.bias" }, result.MissingKeys);

        using var wrong = torch.Zeros(5);
        var bad = a.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        bad["heads.0.bias"] = wrong;
        ex = Assert.Throws<TorchShapeException>(() => b.LoadStateDict(bad, strict: false));
        Assert.Contains("heads.0.bias: expected [2], got [5]", ex.Message);
    }

    [Fact]
    public void TrainAndEvalReachEverySubmodule()
    {
        using var block = new Block();
        block.Eval();
        Assert.All(block.NamedModules(), m => Assert.False(m.Module.Training));
        block.Train();
        Assert.All(block.NamedModules(), m => Assert.True(m.Module.Training));
    }

    [Fact]
    public void BatchNormUsesRunningStatisticsInEvaluation()
    {
        using var scope = new DisposeScope();
        using var bn = new BatchNorm2d(2);
        var x = torch.Randn(4, 2, 3, 3) * 3 + 5;
        bn.Forward(x);
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
        var runningMean = bn.RunningMean!.ToArray<float>();
        Assert.All(runningMean, m => Assert.InRange(m, 0.2, 0.8)); // 0.9·0 + 0.1·≈5
        bn.Eval();
        var y = bn.Forward(x);
        Assert.Equal(1L, bn.NumBatchesTracked!.Item<long>());
        Assert.True(y.Mean().Item() > 1); // normalised by running, not batch, statistics
    }

    [Fact]
    public void ToDtypeConvertsParametersInPlace()
    {
        using var scope = new DisposeScope();
        using var conv = new Conv2d(1, 2, 3);
        var weight = conv.Weight;
        conv.To(DType.Float64);
        Assert.Same(weight, conv.Weight);
        Assert.Equal(DType.Float64, conv.Weight.DType);
        Assert.True(conv.Weight.RequiresGrad);
        Assert.True(conv.Weight.IsLeaf);
        Assert.Equal(DType.Float64, conv.Forward(torch.Zeros([1, 1, 4, 4], DType.Float64)).DType);
        Assert.Throws<ArgumentException>(() => conv.To(DType.Int64));
    }

    [Fact]
    public void DuplicateOrDottedNamesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new BadModule("a.b"));
        Assert.Throws<ArgumentException>(() => new BadModule("same", twice: true));
    }

    private sealed class BadModule : Module
    {
        public BadModule(string name, bool twice = false)
        {
            RegisterParameter(name, torch.Zeros(1));
            if (twice) RegisterBuffer(name, torch.Zeros(1));
        }
    }

    [Fact]
    public void LayersHavePyTorchShapes()
    {
        using var scope = new DisposeScope();
        var x = torch.Randn(2, 4, 8, 8);
        using var up = new ConvTranspose2d(4, 2, 2, stride: 2);
        Assert.Equal(new long[] { 4, 2, 2, 2 }, up.Weight.Shape);
        Assert.Equal(new long[] { 2, 2, 16, 16 }, up.Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, new MaxPool2d(2).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 16, 16 }, new Upsample(2.0, InterpolationMode.Bilinear).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 5, 7 }, new Upsample((5, 7)).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 1, 1 }, new AdaptiveAvgPool2d(1, 1).Forward(x).Shape);
        Assert.Equal(new long[] { 2, 4, 8, 8 }, new GroupNorm(2, 4).Forward(x).Shape);
        using var linear = new Linear(8, 3);
        Assert.Equal(new long[] { 2, 4, 8, 3 }, linear.Forward(x).Shape);
        var drop = new Dropout2d(0.5);
        drop.Eval();
        Assert.Equal(x.ToArray<float>(), drop.Forward(x).ToArray<float>());
    }
}
