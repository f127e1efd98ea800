namespace Skd.Distillation.Parts;

/// <summary>
/// A value rising from 0 to <paramref name="Maximum"/> along half a cosine over the first
/// <paramref name="Epochs"/> epochs, then constant (CTKD's schedule of the reversal strength λ,
/// methods.md §1):
/// <code>λ(e) = λ_max·(1 − cos(π·min(e/E, 1)))/2</code>
/// e is the fractional epoch (epoch + step/steps), so λ rises smoothly within epochs; E = 0 gives λ_max at once.
/// </summary>
public sealed record CosineRamp(double Maximum, double Epochs)
{
    public double At(double epoch) => Epochs <= 0 ? Maximum : Maximum * (1 - Math.Cos(Math.PI * Math.Clamp(epoch / Epochs, 0, 1))) / 2;

    /// <summary>The value at <paramref name="step"/>: e = progress·epochs.</summary>
    public double At(TrainingStep step) => At(step.Progress * step.Epochs);
}
