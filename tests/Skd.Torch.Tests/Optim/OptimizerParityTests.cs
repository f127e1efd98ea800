namespace Skd.Torch.Tests;

/// <summary>SGD, Adam and AdamW follow torch.optim's trajectories (Fixtures/optim_reference.json) step by step.</summary>
public class OptimizerParityTests
{
    [Theory]
    [MemberData(nameof(OptimProblem.OptimizerCases), MemberType = typeof(OptimProblem))]
    public void MatchesPyTorchTrajectory(string name)
    {
        using var problem = new OptimProblem();
        using var optimizer = problem.CreateOptimizer(name);
        using var scope = new DisposeScope();
        var z = problem.Z.Clone();
        int step = 0;
        foreach (var expected in OptimProblem.Fixture.GetProperty("optimizers").GetProperty(name).GetProperty("trajectory").EnumerateArray())
        {
            step++;
            optimizer.ZeroGrad();
            problem.Backward();
            optimizer.Step();
            FixtureFiles.AssertClose(OptimProblem.Double(expected.GetProperty("w")), problem.W, 1e-9, 1e-9, $"{name} w after step {step}");
            FixtureFiles.AssertClose(OptimProblem.Double(expected.GetProperty("b")), problem.B, 1e-9, 1e-9, $"{name} b after step {step}");
            Assert.Null(problem.Z.Grad);
            FixtureFiles.AssertClose(z, problem.Z, 0, 0, $"{name} z (no gradient) after step {step}");
        }
        Assert.Equal(5, step);
    }
}
