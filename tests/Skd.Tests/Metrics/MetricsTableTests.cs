namespace Skd.Tests.Metrics;

public class MetricsTableTests
{
    private static MetricsTable Table(IReadOnlyList<string>? names = null) => new(
    [
        new("a", 1, 0.8, 0.6, 0.9, 0.7, 0.95, 2.0),
        new("a", 2, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
        new("b", 1, 0.6, 0.4, 0.8, 0.5, 0.9, 4.0),
        new("b", 2, 0.4, 0.2, 0.7, 0.3, 0.85, double.NaN),
    ], names);

    [Fact]
    public void PerClassStatisticsIgnoreNaN()
    {
        var t = Table();
        Assert.Equal(new[] { 1, 2 }, t.Classes);
        var one = t.ForClass(1);
        Assert.Equal(0.7, one["dice"].Mean, 12);
        Assert.Equal(0.1, one["dice"].Std, 12);              // population std (numpy.nanstd)
        Assert.Equal(2, one["dice"].Count);
        Assert.Equal(new MetricStats(0.4, 0, 1), t.ForClass(2)["dice"]);
        Assert.Equal(0, t.ForClass(2)["hd95"].Count);
        Assert.True(double.IsNaN(t.ForClass(2)["hd95"].Mean));
    }

    [Fact]
    public void OverallAveragesEachCaseOverItsClassesFirst()
    {
        var overall = Table().Overall();
        // Case a: dice 0.8 (class 2 skipped); case b: (0.6 + 0.4) / 2 = 0.5.
        Assert.Equal(0.65, overall["dice"].Mean, 12);
        Assert.Equal(0.15, overall["dice"].Std, 12);
        Assert.Equal(3.0, overall["hd95"].Mean, 12);
    }

    [Fact]
    public void CsvHoldsRowsAndSummaries()
    {
        var rows = new StringWriter();
        MetricsExport.WriteCsv(Table(["background", "aorta", "liver, left"]), rows);
        var lines = rows.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("case,class,name,dice,iou,acc,sen,spe,hd95", lines[0]);
        Assert.Equal("a,1,aorta,0.8,0.6,0.9,0.7,0.95,2", lines[1]);
        Assert.Equal("a,2,\"liver, left\",nan,nan,nan,nan,nan,nan", lines[2]);

        var summary = new StringWriter();
        MetricsExport.WriteSummaryCsv(Table(), summary);
        lines = summary.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("class,dice_mean,dice_std,dice_n,iou_mean", lines[0]);
        Assert.StartsWith("1,0.7,", lines[1]);
        Assert.StartsWith("overall,0.65,", lines[3]);
        Assert.EndsWith(",3,1,2", lines[3]);                  // hd95: case a 2, case b 4 (class 2 skipped)
    }

    [Fact]
    public void JsonHoldsRowsClassesAndOverallWithNullForNaN()
    {
        var stream = new MemoryStream();
        MetricsExport.WriteJson(Table(["bg", "aorta", "liver"]), stream);
        var root = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal(4, root.GetProperty("cases").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("cases")[1].GetProperty("dice").ValueKind);
        Assert.Equal("aorta", root.GetProperty("classes")[0].GetProperty("name").GetString());
        Assert.Equal(0.7, root.GetProperty("classes")[0].GetProperty("dice").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(0.65, root.GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble(), 12);
    }

    [Fact]
    public void ClassNamesMustCoverTheClasses() =>
        Assert.Throws<ArgumentException>(() => Table(["background", "aorta"]));
}
