namespace Skd.Torch.Tests;

/// <summary>Optimiser steps, clipping, schedules and state dicts leave no native tensor behind.</summary>
[Collection(SerialCollection.Name)]
public class OptimizerLeakTests
{
    [Theory]
    [InlineData("sgd_nesterov")]
    [InlineData("adam_groups")]
    [InlineData("adamw")]
    public void HundredStepsLeakNoTensor(string name)
    {
        using var problem = new OptimProblem();
        long beforeOptimizer = torch.LiveTensorCount;
        var optimizer = problem.CreateOptimizer(name);
        var schedule = new LinearWarmup(new CosineLR(0.01, 100), 10);

        void TrainStep(long step)
        {
            optimizer.ApplySchedule(schedule, step);
            problem.Backward();
            GradClip.ClipGradNorm(problem.Parameters, 1.0);
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        TrainStep(0); // creates the optimiser's state
        long before = torch.LiveTensorCount;
        for (long step = 1; step <= 100; step++) TrainStep(step);
        using (new DisposeScope()) optimizer.LoadStateDict(optimizer.StateDict());
        Assert.Equal(before, torch.LiveTensorCount);

        optimizer.Dispose();
        Assert.Equal(beforeOptimizer, torch.LiveTensorCount);
    }
}
