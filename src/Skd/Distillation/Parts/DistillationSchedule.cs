namespace Skd.Distillation.Parts;

/// <summary>
/// When ACW-SKD's distillation terms switch on (methods.md §1, second design; FRSKD's segmentation
/// schedule: distillation off for a warm-up, then its <c>sigmoid_rampup</c>):
/// <code>
/// w(e) = 0                          e &lt; E_w
/// w(e) = w_final·exp(−5·(1 − r)²)   r = (e − E_w)/(E − E_w),  e ≥ E_w
/// E_w  = warm-up fraction · E
/// </code>
/// e is the fractional epoch (epoch + step/steps), so weights rise within epochs; E is the run's epochs.
/// The self-teacher trains alone during the warm-up, so that it leads the student when it starts to teach.
/// </summary>
public sealed record DistillationSchedule(double WarmupFraction)
{
    /// <summary>E_w of a run of <paramref name="epochs"/> epochs.</summary>
    public double WarmupEpochs(int epochs) => WarmupFraction * epochs;

    /// <summary>The fractional epoch e of <paramref name="step"/>.</summary>
    public static double EpochOf(TrainingStep step) => step.Progress * step.Epochs;

    /// <summary>Epochs elapsed since the warm-up ended at <paramref name="step"/>: negative during the warm-up.</summary>
    public double SinceWarmup(TrainingStep step) => EpochOf(step) - WarmupEpochs(step.Epochs);

    /// <summary>w(e) of a term whose final weight is <paramref name="final"/>, at fractional epoch <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public double Weight(double final, double epoch, int epochs)
    {
        double warmup = WarmupEpochs(epochs);
        if (epoch < warmup) return 0;
        double r = Math.Min(1, (epoch - warmup) / (epochs - warmup));
        return final * Math.Exp(-5 * (1 - r) * (1 - r));
    }

    /// <summary>w at <paramref name="step"/>.</summary>
    public double Weight(double final, TrainingStep step) => Weight(final, EpochOf(step), step.Epochs);
}
