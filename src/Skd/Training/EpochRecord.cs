namespace Skd.Training;

/// <summary>
/// One line of a run's log.jsonl: epoch (1-based, the number of epochs done), each loss term and
/// the total averaged over the epoch's steps, the validation scores when validation ran (mean
/// foreground Dice over the validation cases, and per class), the last step's learning rate, the
/// epoch's duration and throughput.
/// <para>
/// Diagnostics of a self-KD run (issue #10, item 3): <see cref="SelfTeacherValDice"/>, the self-teacher's
/// validation Dice when the method has one; <see cref="Weights"/>, each term's weight averaged over the
/// epoch's steps (0 while a schedule keeps it off); <see cref="Scalars"/>, what the method reports per
/// step (acw-skd's <c>tau</c>), averaged; <see cref="GradNorms"/>, for each watched feature tensor
/// (<c>penultimate</c>: the student's F) and each term (and <c>total</c>), ‖∂(w·L)/∂X‖₂ averaged over the
/// steps that measured it (every <c>grad_norm_every</c>-th step of the run); null when none did.
/// </para>
/// </summary>
public sealed record EpochRecord
{
    public required int Epoch { get; init; }
    public required IReadOnlyDictionary<string, double> Loss { get; init; }
    public required double Total { get; init; }
    public double? ValDice { get; init; }
    public IReadOnlyDictionary<string, double?>? ValDicePerClass { get; init; }
    public double? SelfTeacherValDice { get; init; }
    public IReadOnlyDictionary<string, double>? Weights { get; init; }
    public IReadOnlyDictionary<string, double>? Scalars { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? GradNorms { get; init; }
    public required double Lr { get; init; }
    public required double Seconds { get; init; }
    public required double ImagesPerSecond { get; init; }
}
