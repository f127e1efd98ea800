namespace Skd.Tests.Comparison;

public class ComparisonSummaryTests
{
    /// <summary>A run whose case i scores dice[i] on class 1 (other metrics derived from it).</summary>
    private static RunOutcome Run(string method, int seed, params double[] dice) => new(method, 16, seed, 1_942_306, 1_000_000, 10 + seed,
        new MetricsTable(dice.Select((d, i) => new CaseMetrics($"case{i}", 1, d, d / (2 - d), 0.9, d, 0.99, 10 * (1 - d)))));

    private static readonly RunOutcome[] Runs =
    [
        Run("supervised", 0, 0.70, 0.60, 0.80, 0.75, 0.65),
        Run("supervised", 1, 0.72, 0.58, 0.78, 0.77, 0.67),
        Run("dskd", 0, 0.75, 0.66, 0.83, 0.79, 0.70),
        Run("dskd", 1, 0.77, 0.64, 0.85, 0.80, 0.72),
    ];

    [Fact]
    public void EachMethodIsSummarisedOverItsSeedsAndTestedAgainstThePlainStudent()
    {
        var rows = ComparisonSummary.Summarise(Runs);
        Assert.Equal(["supervised", "dskd"], rows.Select(r => r.Method));
        var dskd = rows[1];
        Assert.Equal(2, dskd.Seeds);
        var seedMeans = new[] { new[] { 0.75, 0.66, 0.83, 0.79, 0.70 }.Average(), new[] { 0.77, 0.64, 0.85, 0.80, 0.72 }.Average() };
        Assert.Equal(seedMeans.Average(), dskd.Metrics["dice"].Mean, 12);
        Assert.Equal(Math.Abs(seedMeans[0] - seedMeans[1]) / 2, dskd.Metrics["dice"].Std, 12);
        Assert.Equal(10.5, dskd.TrainSeconds);
        Assert.Null(rows[0].VersusBaseline);

        double[] plain = [0.71, 0.59, 0.79, 0.76, 0.66], mine = [0.76, 0.65, 0.84, 0.795, 0.71];
        var v = dskd.VersusBaseline!;
        Assert.Equal(mine.Zip(plain, (a, b) => a - b).Average(), v.DiceDifference, 12);
        Assert.Equal(PairedTest.TTest(plain, mine), v.TTest);
        Assert.Equal(PairedTest.Wilcoxon(plain, mine), v.Wilcoxon);
        Assert.True(v.TTest.PValue < 0.01);
    }

    [Fact]
    public void WithoutAPlainStudentOfTheSameWidthThereIsNoTest()
    {
        var rows = ComparisonSummary.Summarise([Runs[2], Runs[0] with { Width = 64 }]);
        Assert.Null(rows[0].VersusBaseline);
    }

    [Fact]
    public void TheReportShowsPercentagesAndTheTests()
    {
        var rows = ComparisonSummary.Summarise(Runs);
        var md = ComparisonReport.Markdown(rows, "demo");
        Assert.Contains("| dskd | 16 | 2 | 75.10 ± 0.50 |", md);
        Assert.Contains("1.94 M", md);
        var csv = ComparisonReport.Csv(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, csv.Length);
        var header = csv[0].Split(',');
        var dskd = csv[2].Split(',');
        Assert.Equal(header.Length, dskd.Length);
        Assert.Equal(0.751, double.Parse(dskd[Array.IndexOf(header, "dice_mean")], System.Globalization.CultureInfo.InvariantCulture), 12);
        Assert.Equal("", csv[1].Split(',')[Array.IndexOf(header, "t_p")]);
    }

    [Fact]
    public void MetricsTablesRoundTripThroughJson()
    {
        var table = new MetricsTable([new("a", 1, 0.5, 0.33, 0.9, double.NaN, 0.99, 3.5), new("b", 1, 0.7, 0.5, 0.95, 0.8, 0.98, 1.5)], ["bg", "vessel"]);
        var path = Path.GetTempFileName();
        try
        {
            using (var stream = File.Create(path)) MetricsExport.WriteJson(table, stream);
            var back = MetricsExport.ReadJson(path);
            Assert.Equal(table.Rows.Select(r => r.ToString()), back.Rows.Select(r => r.ToString()));
            Assert.Equal("vessel", back.ClassNames![1]);
            File.WriteAllText(path, "{\"cases\": 3}");
            Assert.Equal($"{path}: field 'cases' is a number (3): expected a list",
                         Assert.Throws<Skd.Data.DataFormatException>(() => MetricsExport.ReadJson(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
