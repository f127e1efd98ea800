namespace Skd.Torch.Tests;

/// <summary>State dicts, ZeroGrad, steps without gradients and argument checks of the optimisers.</summary>
public class OptimizerStateTests
{
    private static void Train(OptimProblem problem, Optimizer optimizer, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            problem.Backward();
            optimizer.Step();
        }
    }

    private static double[][] Values(OptimProblem problem) => problem.Parameters.Select(p => p.ToArray<double>()).ToArray();

    [Theory]
    [MemberData(nameof(OptimProblem.OptimizerCases), MemberType = typeof(OptimProblem))]
    public void StateDictRoundTripResumesExactly(string name)
    {
        using var scope = new DisposeScope();
        using var original = new OptimProblem();
        using var optimizer = original.CreateOptimizer(name);
        Train(original, optimizer, 3);
        var state = optimizer.StateDict();
        var parameters = Values(original);
        Train(original, optimizer, 2);

        using var resumed = new OptimProblem();
        foreach (var (p, values) in resumed.Parameters.Zip(parameters))
            using (torch.NoGrad()) p.Copy_(Tensor.From(values, p.Shape));
        using var restarted = resumed.CreateOptimizer(name);
        restarted.LearningRate = 0.5;
        restarted.LoadStateDict(state);
        Assert.Equal(optimizer.ParamGroups.Select(g => (g.LearningRate, g.WeightDecay)), restarted.ParamGroups.Select(g => (g.LearningRate, g.WeightDecay)));
        Train(resumed, restarted, 2);

        Assert.Equal(Values(original), Values(resumed));
        Assert.Equal(5, optimizer.StateDict()["state.0.step"].Item());
        Assert.Equal(0, optimizer.StateDict()["state.2.step"].Item());
    }

    [Fact]
    public void StateDictHasPyTorchStyleKeys()
    {
        using var scope = new DisposeScope();
        using var problem = new OptimProblem();
        using var adam = problem.CreateOptimizer("adam_groups");
        Train(problem, adam, 1);
        Assert.Equal(
            new[]
            {
                "param_groups.0.lr", "param_groups.0.weight_decay", "param_groups.1.lr", "param_groups.1.weight_decay",
                "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.2.step",
            },
            adam.StateDict().Keys);
        using var sgd = problem.CreateOptimizer("sgd_momentum_wd");
        Train(problem, sgd, 1);
        Assert.Contains("state.1.momentum_buffer", sgd.StateDict().Keys);
    }

    [Fact]
    public void LoadStateDictRejectsWhatDoesNotFitAndChangesNothing()
    {
        using var scope = new DisposeScope();
        using var problem = new OptimProblem();
        using var optimizer = problem.CreateOptimizer("adam");
        Train(problem, optimizer, 1);
        var good = optimizer.StateDict();
        var before = good.ToDictionary(kv => kv.Key, kv => kv.Value.To(DType.Float64).ToArray<double>());

        void AssertRejected(Action<Dictionary<string, Tensor>> edit)
        {
            var bad = good.ToDictionary(kv => kv.Key, kv => kv.Value);
            edit(bad);
            Assert.Throws<ArgumentException>(() => optimizer.LoadStateDict(bad));
            Assert.Equal(before, optimizer.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.To(DType.Float64).ToArray<double>()));
        }

        AssertRejected(d => d["state.0.momentum_buffer"] = torch.Zeros([3, 2], DType.Float64));
        AssertRejected(d => d["state.0.exp_avg"] = torch.Zeros([2, 3], DType.Float64));
        AssertRejected(d => d["state.7.step"] = Tensor.Scalar(1L));
        AssertRejected(d => d["param_groups.1.lr"] = Tensor.Scalar(0.1));
        AssertRejected(d => d["param_groups.0.lr"] = Tensor.Scalar(-0.1));
        AssertRejected(d => d.Remove("param_groups.0.lr"));
        AssertRejected(d => d["exp_avg"] = torch.Zeros(1));
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        using var problem = new OptimProblem();
        using var optimizer = problem.CreateOptimizer("sgd_plain");
        problem.Backward();
        Assert.NotNull(problem.W.Grad);
        Assert.NotNull(problem.B.Grad);
        optimizer.ZeroGrad();
        Assert.All(problem.Parameters, p => Assert.Null(p.Grad));
    }

    [Theory]
    [MemberData(nameof(OptimProblem.OptimizerCases), MemberType = typeof(OptimProblem))]
    public void StepWithoutGradientsIsANoOp(string name)
    {
        using var scope = new DisposeScope();
        using var problem = new OptimProblem();
        using var optimizer = problem.CreateOptimizer(name);
        var before = Values(problem);
        optimizer.Step();
        Assert.Equal(before, Values(problem));
        var state = optimizer.StateDict();
        Assert.All(state.Where(kv => kv.Key.StartsWith("state.")), kv => Assert.Equal("step", kv.Key.Split('.')[2]));
        Assert.All(state.Where(kv => kv.Key.EndsWith(".step")), kv => Assert.Equal(0, kv.Value.Item()));
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        using var problem = new OptimProblem();
        var ps = problem.Parameters;
        Assert.Throws<ArgumentException>(() => new SGD(ps, lr: -0.1));
        Assert.Throws<ArgumentException>(() => new Adam(ps, lr: -1e-3));
        Assert.Throws<ArgumentException>(() => new AdamW(ps, lr: -1e-3));
        Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup(ps, learningRate: -1)], lr: 0.1));
        Assert.Throws<ArgumentException>(() => new SGD(ps, lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD(ps, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD(ps, lr: 0.1, momentum: -0.9));
        Assert.Throws<ArgumentException>(() => new SGD(ps, lr: 0.1, weightDecay: -1));
        Assert.Throws<ArgumentException>(() => new Adam(ps, beta1: 1.0));
        Assert.Throws<ArgumentException>(() => new Adam(ps, beta2: -0.1));
        Assert.Throws<ArgumentException>(() => new Adam(ps, eps: -1e-8));
        Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<Tensor>(), lr: 0.1));
        Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([ps[0]]), new ParamGroup([ps[0], ps[1]])], lr: 0.1));

        using var sgd = new SGD(ps, lr: 0.1);
        Assert.Throws<ArgumentException>(() => sgd.LearningRate = -0.5);
        Assert.Equal(0.1, sgd.LearningRate);
        sgd.Dispose();
        Assert.Throws<ObjectDisposedException>(sgd.Step);
    }
}
