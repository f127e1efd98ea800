namespace Skd.Cli.Tests;

/// <summary>
/// <c>skd metrics</c> on fixture files against make_metrics_fixtures.py (scipy's medpy algorithm):
/// every metric of every class to 1e-6 relative.
/// </summary>
public sealed class MetricsCommandTests() : TempFolder("skd-metrics-cli-")
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "metrics");
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "metrics_reference.json"))).RootElement;
    private static readonly string[] Metrics = ["dice", "iou", "acc", "sen", "spe", "hd95"];

    private static JsonElement RunJson(params string[] args)
    {
        var (code, stdout, stderr) = SkdProcess.Run(["metrics", .. args, "--json"]);
        Assert.True(code == 0, stdout + stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static void AssertMatches(JsonElement expectedClasses, IEnumerable<JsonElement> rows)
    {
        var actual = rows.ToList();
        Assert.Equal(expectedClasses.GetArrayLength(), actual.Count);
        foreach (var (expected, row) in expectedClasses.EnumerateArray().Zip(actual))
        {
            Assert.Equal(expected.GetProperty("class").GetInt32(), row.GetProperty("class").GetInt32());
            foreach (var m in Metrics)
            {
                double e = expected.GetProperty(m).GetDouble(), a = row.GetProperty(m).GetDouble();
                Assert.True(Math.Abs(a - e) <= 1e-6 * Math.Abs(e), $"{m} of class {row.GetProperty("class")}: {a} vs scipy's {e}");
            }
        }
    }

    [Fact]
    public void PngFoldersMatchTheScipyReference()
    {
        var result = RunJson("--pred", Path.Combine(Fixtures, "png", "pred"), "--label", Path.Combine(Fixtures, "png", "label"));
        var cases = result.GetProperty("cases").EnumerateArray().ToList();
        foreach (var expected in Reference.GetProperty("png").EnumerateArray())
        {
            string id = expected.GetProperty("case").GetString()!;
            AssertMatches(expected.GetProperty("classes"), cases.Where(c => c.GetProperty("case").GetString() == id));
        }
        double meanDice = Reference.GetProperty("png").EnumerateArray().Average(c => c.GetProperty("classes").EnumerateArray().Average(k => k.GetProperty("dice").GetDouble()));
        Assert.Equal(meanDice, result.GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble(), 9);
    }

    [Fact]
    public void AnisotropicNiftiMatchesTheScipyReferenceInMillimetresAndVoxels()
    {
        string pred = Path.Combine(Fixtures, "nifti", "pred.nii.gz"), label = Path.Combine(Fixtures, "nifti", "label.nii.gz");
        var nifti = Reference.GetProperty("nifti");
        AssertMatches(nifti.GetProperty("mm"), RunJson("--pred", pred, "--label", label, "--spacing").GetProperty("cases").EnumerateArray());
        AssertMatches(nifti.GetProperty("mm"), RunJson("--pred", pred, "--label", label, "--spacing", "0.8", "0.7", "2.5").GetProperty("cases").EnumerateArray());
        AssertMatches(nifti.GetProperty("voxels"), RunJson("--pred", pred, "--label", label, "--classes", "3").GetProperty("cases").EnumerateArray());
    }

    [Fact]
    public void TheTableShowsMeansAndDeviations()
    {
        var (code, stdout, stderr) = SkdProcess.Run("metrics", "--pred", Path.Combine(Fixtures, "png", "pred"), "--label", Path.Combine(Fixtures, "png", "label"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("per class (mean ± std over cases, n)", stdout);
        Assert.Contains("overall", stdout);
        // Case a's row: each metric averaged over its two classes.
        double dice = Reference.GetProperty("png")[0].GetProperty("classes").EnumerateArray().Average(k => k.GetProperty("dice").GetDouble());
        Assert.Contains(dice.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), stdout);
    }

    [Fact]
    public void FoldersThatDoNotPairUpAreAClearError()
    {
        string pred = Directory.CreateDirectory(Path.Combine(root, "pred")).FullName;
        foreach (var name in new[] { "a.png", "c.png" }) File.Copy(Path.Combine(Fixtures, "png", "pred", "a.png"), Path.Combine(pred, name));
        var (code, _, stderr) = SkdProcess.Run("metrics", "--pred", pred, "--label", Path.Combine(Fixtures, "png", "label"));
        Assert.Equal(1, code);
        Assert.Contains("skd metrics: error: the prediction and label files do not pair up", stderr);
        Assert.Contains("predictions without a label: c", stderr);
        Assert.Contains("labels without a prediction: b", stderr);
    }

    [Fact]
    public void ValuesOutsideTheClassesAreAClearError()
    {
        var (code, _, stderr) = SkdProcess.Run("metrics", "--pred", Path.Combine(Fixtures, "png", "pred", "a.png"), "--label", Path.Combine(Fixtures, "png", "label", "a.png"), "--classes", "2");
        Assert.Equal(1, code);
        Assert.Contains("value 2 is not a class id in 0..1", stderr);
    }

    [Theory]
    [InlineData("0", "128", "255")]                                // grey-coded masks (EM, pathology)
    [InlineData("[0, 0, 0]", "[255, 0, 0]", "[0, 0, 255]")]        // colour-coded masks (M2caiSeg)
    public void LabelsWithTheirDatasetsPaletteScoreAPerfectPredictionAsOne(string background, string first, string second)
    {
        // What skd predict writes for a 3-class model (class ids) against the dataset's own masks.
        string data = Path.Combine(root, "data"), masks = Directory.CreateDirectory(Path.Combine(data, "masks")).FullName;
        string pred = Directory.CreateDirectory(Path.Combine(root, "pred")).FullName;
        File.WriteAllText(Path.Combine(data, "palette.json"),
            $$"""{"classes": [{"name": "bg", "color": {{background}}}, {"name": "a", "color": {{first}}}, {"name": "b", "color": {{second}}}]}""");
        byte[][] colours = [.. new[] { background, first, second }.Select(c => JsonSerializer.Deserialize<int[]>(c.StartsWith('[') ? c : $"[{c}, {c}, {c}]")!.Select(v => (byte)v).ToArray())];
        long[] classes = [0, 1, 1, 2, 2, 0, 1, 0, 2];
        using (var scope = new Skd.Torch.DisposeScope())
        {
            var rgb = new byte[3 * classes.Length];
            for (int i = 0; i < classes.Length; i++)
                for (int c = 0; c < 3; c++) rgb[c * classes.Length + i] = colours[classes[i]][c];
            Skd.Data.Formats.ImageFile.Write(Path.Combine(masks, "a.png"), Skd.Torch.Tensor.From(rgb, 3, 3, 3));
            Skd.Data.Formats.ImageFile.Write(Path.Combine(pred, "a.png"), Skd.Torch.Tensor.From(classes.Select(v => (byte)v).ToArray(), 1, 3, 3));
        }
        var result = RunJson("--pred", pred, "--label", masks);
        Assert.Equal([1, 2], result.GetProperty("cases").EnumerateArray().Select(r => r.GetProperty("class").GetInt32()));
        Assert.Equal(1.0, result.GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble());
    }

    [Theory]
    [InlineData("100000")]
    [InlineData("1025")]
    [InlineData("1")]
    public void AClassCountOutOfRangeIsAClearError(string classes)
    {
        var (code, _, stderr) = SkdProcess.Run("metrics", "--pred", Path.Combine(Fixtures, "png", "pred", "a.png"), "--label", Path.Combine(Fixtures, "png", "label", "a.png"), "--classes", classes);
        Assert.Equal(1, code);
        Assert.Equal($"skd metrics: error: --classes must be 2 (background and one class) to 1024, got {classes}", stderr.Trim());
    }
}
