namespace Skd.Evaluation;

/// <summary>
/// A model over the cases of a dataset split: each case loaded, predicted whole (volumes slice by
/// slice, reassembled) and scored per class; what <c>skd eval</c> and <c>skd compare</c> both run.
/// </summary>
public static class SplitEvaluation
{
    /// <summary>Checks that the model's classes are the dataset's, naming both when they are not.</summary>
    public static void CheckClasses(Predictor predictor, SegmentationDataset dataset)
    {
        if (predictor.Classes != dataset.ClassCount)
            throw new ArgumentException($"{predictor.Source} predicts {predictor.Classes} classes, the dataset has {dataset.ClassCount} ({string.Join(", ", dataset.Description.ClassNames)})");
    }

    /// <summary>
    /// The metrics of one case; its label map is written into <paramref name="saveTo"/> when given, and with
    /// <paramref name="saveProbabilities"/> its class probabilities beside it (<see cref="PredictionFiles.Write"/>).
    /// </summary>
    public static IReadOnlyList<CaseMetrics> ScoreCase(SegmentationDataset dataset, CaseFiles c, Predictor predictor, EvaluationSettings settings,
        string? saveTo = null, bool saveProbabilities = false)
    {
        using var scope = new DisposeScope();
        using var loaded = dataset.Load(c);
        using var prediction = predictor.Predict(loaded, keepProbabilities: saveTo is not null && saveProbabilities);
        var rows = CaseScoring.Score(loaded, prediction.Labels, predictor.Classes, settings.Metrics, settings.Spacing);
        if (saveTo is not null) PredictionFiles.Write(saveTo, loaded, prediction, predictor.Classes);
        return rows;
    }

    /// <summary>
    /// Every case of <paramref name="cases"/>, in order, as one table with the dataset's class names;
    /// each case's label map written into <paramref name="saveTo"/> when given, the number of cases
    /// done reported to <paramref name="progress"/> after each (probabilities as <see cref="ScoreCase"/>).
    /// </summary>
    public static MetricsTable Run(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases, Predictor predictor, EvaluationSettings settings,
        string? saveTo = null, IProgress<int>? progress = null, bool saveProbabilities = false)
    {
        CheckClasses(predictor, dataset);
        var rows = new List<CaseMetrics>();
        for (int i = 0; i < cases.Count; i++)
        {
            rows.AddRange(ScoreCase(dataset, cases[i], predictor, settings, saveTo, saveProbabilities));
            progress?.Report(i + 1);
        }
        return new MetricsTable(rows, dataset.Description.ClassNames);
    }
}
