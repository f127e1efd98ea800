namespace Skd.Export;

/// <summary>
/// The images int8 calibration runs on: a sample of a dataset's training split prepared as for training
/// (<see cref="CasePreprocessor.Prepare"/> of the model's <see cref="ModelInfo"/>: normalised, at the model's size, as
/// resize-mode inference feeds the model too), spread evenly over the training cases and, in volumes, over their slices.
/// </summary>
public static class CalibrationImages
{
    /// <summary>The training cases to sample, checked to be there.</summary>
    /// <exception cref="ArgumentException">The dataset's train split is empty.</exception>
    public static IReadOnlyList<CaseFiles> Cases(SegmentationDataset dataset)
    {
        var cases = dataset.Split("train");
        return cases.Count > 0 ? cases
            : throw new ArgumentException($"{dataset.Description.Root}: its train split has no cases to calibrate the int8 model on");
    }

    /// <summary>
    /// Up to <paramref name="count"/> slices, one batch (1, C, S, S) each, from evenly spaced training cases, as many from
    /// each case as a share of <paramref name="count"/> comes to (evenly spaced along a volume); the caller owns them.
    /// </summary>
    public static IReadOnlyList<Tensor> Sample(SegmentationDataset dataset, ModelInfo info, int count)
    {
        if (count < 1) throw new ArgumentException($"the number of calibration images must be at least 1, got {count}");
        var cases = Cases(dataset);
        var preprocessor = info.Preprocessor();
        int caseCount = Math.Min(count, cases.Count), perCase = (count + caseCount - 1) / caseCount;
        var sample = new List<Tensor>();
        for (int i = 0; i < caseCount && sample.Count < count; i++)
        {
            using var scope = new DisposeScope();
            using var loaded = dataset.Load(cases[(int)((long)i * cases.Count / caseCount)]);
            var (images, labels) = preprocessor.Prepare(loaded);
            labels.Dispose();
            using var _ = images;
            long slices = images.Size(0);
            int take = (int)Math.Min(Math.Min(perCase, slices), count - sample.Count);
            for (int j = 0; j < take; j++) sample.Add(DisposeScope.Detach(images.Narrow(0, j * slices / take + slices / (2 * take), 1).Contiguous()));
        }
        return sample;
    }
}
