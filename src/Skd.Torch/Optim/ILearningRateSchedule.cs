namespace Skd.Torch.Optim;

/// <summary>
/// A learning rate as a closed-form function of the optimisation step (0 for the first update).
/// Apply it with <see cref="LearningRateScheduleExtensions.ApplySchedule"/> before each step.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (≥ 0).</summary>
    double LearningRate(long step);
}
