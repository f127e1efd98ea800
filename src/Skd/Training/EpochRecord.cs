namespace Skd.Training;

/// <summary>
/// One line of a run's log.jsonl: epoch (1-based, the number of epochs done), each loss term and
/// the total averaged over the epoch's steps, the validation scores when validation ran (mean
/// foreground Dice over the validation cases, and per class), the last step's learning rate, the
/// epoch's duration and throughput.
/// </summary>
public sealed record EpochRecord
{
    public required int Epoch { get; init; }
    public required IReadOnlyDictionary<string, double> Loss { get; init; }
    public required double Total { get; init; }
    public double? ValDice { get; init; }
    public IReadOnlyDictionary<string, double?>? ValDicePerClass { get; init; }
    public required double Lr { get; init; }
    public required double Seconds { get; init; }
    public required double ImagesPerSecond { get; init; }
}
