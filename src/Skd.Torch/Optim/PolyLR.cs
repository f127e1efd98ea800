namespace Skd.Torch.Optim;

/// <summary>
/// Polynomial decay, the "poly" rule of DeepLab, TransUNet and nnU-Net, and the closed form of
/// PyTorch's <c>lr_scheduler.PolynomialLR</c>:
/// <code>lr(t) = base · (1 − min(t, T)/T)^power</code>
/// reaching 0 at step T and staying there.
/// </summary>
public sealed class PolyLR(double baseLr, long totalSteps, double power = 0.9) : DecaySchedule(baseLr)
{
    public long TotalSteps { get; } = Validate.Positive(totalSteps, "total steps");
    public double Power { get; } = Validate.NonNegative(power, "power");

    protected override double RateAt(long step) => BaseLr * Math.Pow(1.0 - (double)Math.Min(step, TotalSteps) / TotalSteps, Power);
}
