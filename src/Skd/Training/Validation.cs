using Skd.Data;
using Skd.Metrics;
using Skd.Models;
using Skd.Torch;
using Skd.Torch.Nn;

namespace Skd.Training;

/// <summary>The validation scores of one pass: mean foreground Dice (null when no class could be scored) and each foreground class's mean over cases.</summary>
public sealed record ValidationScore(double? MeanDice, IReadOnlyDictionary<string, double?> PerClass);

/// <summary>
/// The validation pass: a model's argmax prediction (the student's, or a method's self-teacher's) on
/// every slice of the validation cases,
/// prepared as the training slices are (same preprocessing and size, no augmentation; scored at
/// the training resolution, labels resized by nearest neighbour). Per case (all slices of a
/// volume together), the Dice of each foreground class from its confusion counts, a class absent
/// from both prediction and label skipped (<see cref="EmptyMaskPolicy.SkipAbsent"/>); the score is
/// the mean over cases of each case's mean over its scored classes (NaN-aware means throughout).
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
        var perCase = counts.Values.Select(c => c.Skip(1).Select(k => OverlapMetrics.Compute(k).Dice).ToArray()).ToList();
        var perClass = Enumerable.Range(1, classes - 1).ToDictionary(k => classNames[k], k => Finite(MetricStats.Of(perCase.Select(d => d[k - 1])).Mean));
        return new ValidationScore(Finite(MetricStats.Of(perCase.Select(d => MetricStats.Of(d).Mean)).Mean), perClass);
    }

    private static double? Finite(double value) => double.IsNaN(value) ? null : value;
}
