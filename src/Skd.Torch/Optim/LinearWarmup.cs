namespace Skd.Torch.Optim;

/// <summary>
/// Linear warm-up in front of another schedule: over the first W steps the rate ramps linearly
/// from startFactor · inner(0) to inner(W), then it follows inner.
/// <code>
/// lr(t) = s + (inner(W) − s) · t/W,  s = startFactor · inner(0),  for t &lt; W
/// lr(t) = inner(t)                                                for t ≥ W
/// </code>
/// Over a constant inner rate this is PyTorch's <c>lr_scheduler.LinearLR(start_factor, 1, W)</c>
/// (Goyal et al., 2017, "gradual warmup").
/// </summary>
public sealed class LinearWarmup(ILearningRateSchedule inner, long warmupSteps, double startFactor = 0) : ILearningRateSchedule
{
    public ILearningRateSchedule Inner { get; } = inner;
    public long WarmupSteps { get; } = warmupSteps >= 0 ? warmupSteps : throw new ArgumentException($"invalid warm-up steps: {warmupSteps} (must be ≥ 0)");
    public double StartFactor { get; } = Validate.NonNegative(startFactor, "start factor");

    public double LearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step >= WarmupSteps) return Inner.LearningRate(step);
        double start = StartFactor * Inner.LearningRate(0);
        return start + (Inner.LearningRate(WarmupSteps) - start) * step / WarmupSteps;
    }
}
