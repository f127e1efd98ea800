namespace Skd.Tests.Evaluation;

/// <summary>
/// One scoring loop and one aggregation: a split is scored case by case with its progress reported
/// (what <c>skd eval</c> shows), and validation aggregates as <see cref="MetricsTable"/> does.
/// </summary>
public sealed class SplitEvaluationTests() : TempFolder("skd-split-")
{
    private sealed class Recorder : IProgress<int>
    {
        public List<int> Reported { get; } = [];
        public void Report(int value) => Reported.Add(value);
    }

    [Fact]
    public void ASplitIsScoredCaseByCaseReportingEachAndSavingTheLabelMaps()
    {
        string data = TinyData.Vessels(root);
        var run = TrainingRun.Start(TinyData.Config(data, 1), Path.Combine(root, "run"));
        var dataset = SegmentationDataset.Open(data);
        var cases = dataset.Split("test");
        using var predictor = Predictor.Load(run.RunDir);
        var settings = DatasetProtocol.Of(dataset).Evaluation();
        var progress = new Recorder();
        string saved = Path.Combine(root, "labels");
        var table = SplitEvaluation.Run(dataset, cases, predictor, settings, saved, progress);

        Assert.Equal(Enumerable.Range(1, cases.Count), progress.Reported);
        Assert.Equal(cases.SelectMany(c => SplitEvaluation.ScoreCase(dataset, c, predictor, settings)), table.Rows);
        Assert.Equal(cases.Count, Directory.GetFiles(saved).Length);
    }

    [Fact]
    public void ValidationScoresAreTheTablesOverallAndPerClassDice()
    {
        var rows = new[]
        {
            new CaseMetrics("a", 1, 0.5, 0, 0, 0, 0, double.NaN), new CaseMetrics("a", 2, double.NaN, 0, 0, 0, 0, double.NaN),
            new CaseMetrics("b", 1, 0.25, 0, 0, 0, 0, double.NaN), new CaseMetrics("b", 2, 1, 0, 0, 0, 0, double.NaN),
        };
        string[] names = ["background", "artery", "vein"];
        var table = new MetricsTable(rows, names);
        var score = ValidationScore.Of(table, names);
        Assert.Equal(table.Overall()["dice"].Mean, score.MeanDice);
        Assert.Equal((0.5 + (0.25 + 1) / 2) / 2, score.MeanDice);
        Assert.Equal(new Dictionary<string, double?> { ["artery"] = 0.375, ["vein"] = 1 }, score.PerClass);
        Assert.Null(ValidationScore.Of(new MetricsTable([new CaseMetrics("c", 1, double.NaN, 0, 0, 0, 0, double.NaN)], names), names).MeanDice);
    }
}
