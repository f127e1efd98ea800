namespace Skd.Torch.Optim;

/// <summary>
/// Step decay, the closed form of PyTorch's <c>lr_scheduler.StepLR</c>: the rate is multiplied by
/// gamma every <c>stepSize</c> steps.
/// <code>lr(t) = base · gamma^⌊t / stepSize⌋</code>
/// </summary>
public sealed class StepLR(double baseLr, long stepSize, double gamma = 0.1) : DecaySchedule(baseLr)
{
    public long StepSize { get; } = Validate.Positive(stepSize, "step size");
    public double Gamma { get; } = Validate.NonNegative(gamma, "gamma");

    protected override double RateAt(long step) => BaseLr * Math.Pow(Gamma, step / StepSize);
}
