namespace Skd.Torch.Optim;

/// <summary>
/// What the decay schedules (<see cref="PolyLR"/>, <see cref="CosineLR"/>, <see cref="StepLR"/>) share: a base rate,
/// checked, and the rate at each step from the schedule's closed form.
/// </summary>
public abstract class DecaySchedule(double baseLr) : ILearningRateSchedule
{
    public double BaseLr { get; } = Validate.NonNegative(baseLr, "base learning rate");

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return RateAt(step);
    }

    /// <summary>The closed form, for a step ≥ 0.</summary>
    protected abstract double RateAt(long step);
}
