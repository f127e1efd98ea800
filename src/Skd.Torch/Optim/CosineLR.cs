namespace Skd.Torch.Optim;

/// <summary>
/// Cosine annealing, the closed form of PyTorch's <c>lr_scheduler.CosineAnnealingLR</c>
/// (SGDR, Loshchilov &amp; Hutter, 2017, without restarts):
/// <code>lr(t) = min + (base − min) · (1 + cos(πt/T)) / 2</code>
/// reaching min at step T. As in PyTorch, past T the cosine goes on (rising again).
/// </summary>
public sealed class CosineLR(double baseLr, long totalSteps, double minLr = 0) : DecaySchedule(baseLr)
{
    public long TotalSteps { get; } = Validate.Positive(totalSteps, "total steps");
    public double MinLr { get; } = Validate.NonNegative(minLr, "minimum learning rate");

    protected override double RateAt(long step) => MinLr + (BaseLr - MinLr) * (1 + Math.Cos(Math.PI * step / TotalSteps)) / 2;
}
