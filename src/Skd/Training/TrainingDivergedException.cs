namespace Skd.Training;

/// <summary>A loss term became NaN or infinite; the run stopped before the step's update, its last checkpoint untouched.</summary>
public sealed class TrainingDivergedException(int epoch, int step, string term, double value)
    : InvalidOperationException($"the loss diverged at epoch {epoch + 1}, step {step + 1}: term '{term}' is {value}; " +
                                "the last checkpoint (last.safetensors) is the end of the previous epoch (try a lower --lr)")
{
    /// <summary>0-based epoch and step, and the term that went bad.</summary>
    public int Epoch { get; } = epoch;
    public int Step { get; } = step;
    public string Term { get; } = term;
}
