namespace Skd.Training;

/// <summary>
/// What a training run reports as it goes: the command line draws progress bars from it, tests
/// stay silent or stop a run at a chosen step (an exception thrown here ends the run like any
/// error: the last checkpoint stays as it was). Every member has an empty default.
/// </summary>
public interface ITrainingObserver
{
    void RunStarted(TrainingPlan plan) { }
    void EpochStarted(int epoch, int epochs, int steps) { }
    void StepCompleted(StepProgress step) { }
    void EpochCompleted(EpochRecord record, bool isBest) { }
    /// <summary>Something the user should know (no validation split, a finished run).</summary>
    void Note(string message) { }
}

/// <summary>What a run is about to do: from <see cref="StartEpoch"/> (0-based; above 0 when resumed) to the config's epochs.</summary>
public sealed record TrainingPlan(string RunDir, TrainConfig Config, int StartEpoch, int StepsPerEpoch, int TrainSamples, int ValidationCases,
    long StudentParameters, long TrainableParameters, Device Device);

/// <summary>One finished step: epoch and step 0-based, the loss terms of the batch, the learning rate it used, the epoch's images per second so far.</summary>
public sealed record StepProgress(int Epoch, int Epochs, int Step, int Steps, IReadOnlyList<KeyValuePair<string, double>> Terms, double LearningRate, double ImagesPerSecond);
