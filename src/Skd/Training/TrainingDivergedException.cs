namespace Skd.Training;

/// <summary>
/// Training diverged: a loss term became NaN or infinite (the run stopped before the step's
/// update), or an update left a NaN or infinite value in a weight or buffer (the run stopped right
/// after it). Either way nothing is saved from the step on: the last checkpoint is untouched.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    private TrainingDivergedException(int epoch, int step, string term, string problem) : base(Describe(epoch, step, problem)(OptionNames.Library))
    {
        OptionNames.Keep(this, Describe(epoch, step, problem));
        Epoch = epoch;
        Step = step;
        Term = term;
    }

    private static Func<Func<string, string>, string> Describe(int epoch, int step, string problem) => o =>
        $"training diverged at epoch {epoch + 1}, step {step + 1}: {problem}; " +
        $"the last checkpoint ({RunLayout.LastName}) holds {(epoch == 0 ? "the initial weights" : $"the end of epoch {epoch}")} (try a lower {o("lr")})";

    /// <summary>A loss term's value is not finite.</summary>
    public static TrainingDivergedException Loss(int epoch, int step, string term, double value) =>
        new(epoch, step, term, $"the loss term '{term}' is {value}");

    /// <summary>The step's update made a weight or buffer of the method's state dict non-finite.</summary>
    public static TrainingDivergedException Weights(int epoch, int step, string tensor) =>
        new(epoch, step, tensor, $"the update made '{tensor}' NaN or infinite");

    /// <summary>0-based epoch and step, and the loss term or state-dict tensor that went bad.</summary>
    public int Epoch { get; }
    public int Step { get; }
    public string Term { get; }
}
