namespace Skd.Training;

/// <summary>The validation scores of one pass: mean foreground Dice (null when no class could be scored) and each foreground class's mean over cases.</summary>
public sealed record ValidationScore(double? MeanDice, IReadOnlyDictionary<string, double?> PerClass)
{
    private const string Dice = "dice";

    /// <summary>The scores of a table of foreground rows, aggregated as <c>skd eval</c> and <c>skd compare</c> aggregate theirs (<see cref="MetricsTable.Overall"/>, <see cref="MetricsTable.ForClass"/>).</summary>
    public static ValidationScore Of(MetricsTable table, IReadOnlyList<string> classNames) => new(
        Finite(table.Overall()[Dice].Mean),
        Enumerable.Range(1, classNames.Count - 1).ToDictionary(k => classNames[k], k => Finite(table.ForClass(k)[Dice].Mean)));

    private static double? Finite(double value) => double.IsNaN(value) ? null : value;
}

/// <summary>
/// The validation pass: a model's argmax prediction (the student's, or a method's self-teacher's) on
/// every slice of the validation cases,
/// prepared as the training slices are (same preprocessing and size, no augmentation; scored at
/// the training resolution, labels resized by nearest neighbour). Per case (all slices of a
/// volume together), the Dice of each foreground class from its confusion counts, a class absent
/// from both prediction and label skipped (<see cref="EmptyMaskPolicy.SkipAbsent"/>); the scores are
/// <see cref="MetricsTable"/>'s, as <c>skd eval</c> and <c>skd compare</c> aggregate them: the mean over
/// cases of each case's mean over its scored classes, and each class's mean over the cases (NaN-aware).
/// </summary>
internal sealed class Validation(DataLoader loader, IReadOnlyList<string> classNames)
{
    /// <summary>Scores the student.</summary>
    public ValidationScore Evaluate(UNet student, Device device) => Evaluate(student, student.Logits, device);

    /// <summary>Scores <paramref name="logits"/> (images → B×K×H×W) with <paramref name="model"/>, which owns every part it runs, in evaluation mode.</summary>
    public ValidationScore Evaluate(Module model, Func<Tensor, Tensor> logits, Device device)
    {
        int classes = classNames.Count;
        var counts = new Dictionary<string, ConfusionCounts[]>();
        model.Eval();
        try
        {
            using var noGrad = torch.NoGrad();
            foreach (var batch in loader.Epoch(0))
            {
                using (batch)
                using (var scope = new DisposeScope())
                {
                    var predicted = logits(batch.Images.To(device)).Argmax(1).Cpu();
                    for (int i = 0; i < batch.Samples.Count; i++)
                    {
                        var sample = ConfusionCounts.Compute(predicted[i], batch.Labels[i], classes);
                        string id = batch.Samples[i].Case.Id;
                        counts[id] = counts.TryGetValue(id, out var sum) ? sum.Zip(sample, (a, b) => a + b).ToArray() : sample;
                    }
                }
            }
        }
        finally
        {
            model.Train();
        }
        // Foreground classes only, no HD95 (validation scores Dice).
        var table = new MetricsTable(counts.SelectMany(c => Enumerable.Range(1, classes - 1)
            .Select(k => CaseMetrics.Of(c.Key, k, OverlapMetrics.Compute(c.Value[k]), double.NaN))), classNames);
        return ValidationScore.Of(table, classNames);
    }
}
