namespace Skd.Torch.Tests;

/// <summary>The schedules give torch.optim.lr_scheduler's values (Fixtures/optim_reference.json).</summary>
public class ScheduleTests
{
    private sealed record Constant(double Lr) : ILearningRateSchedule
    {
        public double LearningRate(long step) => Lr;
    }

    private static readonly JsonElement Schedules = OptimProblem.Fixture.GetProperty("schedules");
    private static readonly double BaseLr = Schedules.GetProperty("base_lr").GetDouble();

    private static void AssertMatches(string name, Func<JsonElement, ILearningRateSchedule> create)
    {
        var spec = Schedules.GetProperty(name);
        var schedule = create(spec);
        var expected = spec.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int t = 0; t < expected.Length; t++)
            Assert.True(Math.Abs(expected[t] - schedule.LearningRate(t)) <= 1e-12,
                $"{name} at step {t}: expected {expected[t]}, got {schedule.LearningRate(t)}");
    }

    [Fact]
    public void PolyMatchesPolynomialLR() =>
        AssertMatches("poly", s => new PolyLR(BaseLr, s.GetProperty("total_steps").GetInt64(), s.GetProperty("power").GetDouble()));

    [Fact]
    public void CosineMatchesCosineAnnealingLR() =>
        AssertMatches("cosine", s => new CosineLR(BaseLr, s.GetProperty("total_steps").GetInt64(), s.GetProperty("min_lr").GetDouble()));

    [Fact]
    public void StepMatchesStepLR() =>
        AssertMatches("step", s => new StepLR(BaseLr, s.GetProperty("step_size").GetInt64(), s.GetProperty("gamma").GetDouble()));

    [Fact]
    public void LinearWarmupOverAConstantMatchesLinearLR() =>
        AssertMatches("linear_warmup", s => new LinearWarmup(new Constant(BaseLr), s.GetProperty("warmup_steps").GetInt64(), s.GetProperty("start_factor").GetDouble()));

    [Fact]
    public void LinearWarmupRampsToTheInnerScheduleThenFollowsIt()
    {
        var poly = new PolyLR(0.01, 100);
        var warm = new LinearWarmup(poly, 10);
        Assert.Equal(0, warm.LearningRate(0));
        Assert.Equal(poly.LearningRate(10) / 2, warm.LearningRate(5), 15);
        Assert.Equal(poly.LearningRate(10), warm.LearningRate(10));
        Assert.Equal(poly.LearningRate(57), warm.LearningRate(57));
        Assert.Equal(0.01, new LinearWarmup(poly, 0).LearningRate(0));
    }

    [Fact]
    public void PolyClampsPastTheEnd()
    {
        var poly = new PolyLR(0.1, 10, 0.9);
        Assert.Equal(0.1, poly.LearningRate(0));
        Assert.Equal(0, poly.LearningRate(10));
        Assert.Equal(0, poly.LearningRate(1000));
    }

    [Fact]
    public void ApplyScheduleSetsEveryGroup()
    {
        using var problem = new OptimProblem();
        using var optimizer = problem.CreateOptimizer("adam_groups");
        Assert.Equal(new[] { 0.02, 0.01 }, optimizer.ParamGroups.Select(g => g.LearningRate));
        var schedule = new StepLR(0.1, 3, 0.5);
        Assert.Equal(0.05, optimizer.ApplySchedule(schedule, 4));
        Assert.Equal(new[] { 0.05, 0.05 }, optimizer.ParamGroups.Select(g => g.LearningRate));
        Assert.Equal(0.05, optimizer.LearningRate);
    }

    [Fact]
    public void InvalidArgumentsThrow()
    {
        Assert.Throws<ArgumentException>(() => new PolyLR(0.1, 0));
        Assert.Throws<ArgumentException>(() => new PolyLR(-0.1, 10));
        Assert.Throws<ArgumentException>(() => new CosineLR(0.1, -5));
        Assert.Throws<ArgumentException>(() => new StepLR(0.1, 0));
        Assert.Throws<ArgumentException>(() => new LinearWarmup(new Constant(0.1), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineLR(0.1, 10).LearningRate(-1));
    }
}
