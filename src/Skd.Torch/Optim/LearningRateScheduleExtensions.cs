namespace Skd.Torch.Optim;

public static class LearningRateScheduleExtensions
{
    /// <summary>
    /// Sets every group's learning rate to <paramref name="schedule"/>'s value for
    /// <paramref name="step"/> and returns it. Call it before <see cref="Optimizer.Step"/> with the
    /// number of steps taken so far, as PyTorch's scheduler.step() after each optimizer.step().
    /// </summary>
    /// <example><code>
    /// for (long step = 0; step &lt; totalSteps; step++)
    /// {
    ///     optimizer.ApplySchedule(schedule, step);
    ///     // forward, backward
    ///     optimizer.Step();
    /// }
    /// </code></example>
    public static double ApplySchedule(this Optimizer optimizer, ILearningRateSchedule schedule, long step)
    {
        double lr = schedule.LearningRate(step);
        optimizer.LearningRate = lr;
        return lr;
    }
}
