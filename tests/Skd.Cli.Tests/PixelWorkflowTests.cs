namespace Skd.Cli.Tests;

/// <summary>
/// The README's workflows on generated data, end to end through the skd command: a colour paired set
/// with palette masks (the M2caiSeg shape) through dataset → train → eval → predict, and a binary set
/// through predict → metrics, which must score what eval scores.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PixelWorkflowTests() : TempFolder("skd-pixels-cli-")
{
    private static void Ok((int Code, string StdOut, string StdErr) run) => Assert.True(run.Code == 0, run.StdOut + run.StdErr);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    /// <summary>
    /// 8 RGB 24×24 frames (random colours, a reddish disc = tool, a greenish bar = organ) with colour masks
    /// (black, red, green) and a palette.json: images/, masks/, palette.json.
    /// </summary>
    private string ColourSet()
    {
        string ds = Path.Combine(root, "m2cai");
        Directory.CreateDirectory(Path.Combine(ds, "images"));
        Directory.CreateDirectory(Path.Combine(ds, "masks"));
        File.WriteAllText(Path.Combine(ds, "palette.json"),
            """{"classes": [{"name": "background", "color": [0, 0, 0]}, {"name": "tool", "color": [255, 0, 0]}, {"name": "organ", "color": [0, 255, 0]}]}""");
        torch.ManualSeed(11);
        for (int i = 0; i < 8; i++)
        {
            using var scope = new DisposeScope();
            var image = torch.RandInt(0, 100, [3, 24, 24], DType.UInt8);
            var mask = torch.Zeros([3, 24, 24], DType.UInt8);
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 24; x++)
                {
                    bool tool = (y - 8 - i) * (y - 8 - i) + (x - 8) * (x - 8) <= 16;
                    bool organ = !tool && x >= 16 && y >= 4 + i;
                    int channel = tool ? 0 : organ ? 1 : -1;
                    if (channel < 0) continue;
                    image[channel][y][x].Fill_(220);
                    mask[channel][y][x].Fill_(255);
                }
            ImageFile.Write(Path.Combine(ds, "images", $"frame{i}.png"), image);
            ImageFile.Write(Path.Combine(ds, "masks", $"frame{i}.png"), mask);
        }
        return ds;
    }

    private static string[] TinyTraining(string data, string run) =>
        ["train", "--data", data, "--out", run, "--width", "4", "--depth", "2", "--size", "16", "--epochs", "1", "--batch", "4", "--workers", "0"];

    [Fact]
    public void AColourPairedSetTrainsEvaluatesAndPredicts()
    {
        string ds = ColourSet();
        var described = Json(SkdProcess.Run("dataset", ds, "--json").StdOut);
        Assert.Equal(new[] { "red", "green", "blue" }, described.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("rgb", described.GetProperty("image_channels").GetString());

        string run = Path.Combine(root, "run");
        Ok(SkdProcess.Run(TinyTraining(ds, run)));
        var info = ModelFile.ReadInfo(Path.Combine(run, "best.safetensors"));
        Assert.Equal(3, info.Network.InChannels);
        Assert.Equal(ImageChannels.Rgb, info.ImageChannels);

        string metrics = Path.Combine(root, "eval.json");
        Ok(SkdProcess.Run("eval", "--run", run, "--data", ds, "--split", "test", "--json", metrics));
        Assert.Equal(2 * 2, Json(File.ReadAllText(metrics)).GetProperty("cases").GetArrayLength());   // 2 test frames × 2 foreground classes

        // New images: the frames themselves, and a grey picture, which the RGB model reads as R = G = B.
        string input = Directory.CreateDirectory(Path.Combine(root, "new")).FullName;
        File.Copy(Path.Combine(ds, "images", "frame0.png"), Path.Combine(input, "frame0.png"));
        using (var scope = new DisposeScope()) ImageFile.Write(Path.Combine(input, "grey.png"), torch.RandInt(0, 256, [1, 20, 30], DType.UInt8));
        string predictions = Path.Combine(root, "predictions");
        Ok(SkdProcess.Run("predict", "--checkpoint", Path.Combine(run, "best.safetensors"), "--input", input, "--out", predictions));
        using (var scope = new DisposeScope())
        {
            Assert.Equal(new long[] { 1, 24, 24 }, ImageFile.Read(Path.Combine(predictions, "frame0.png")).Shape);
            var grey = ImageFile.Read(Path.Combine(predictions, "grey.png"));
            Assert.Equal(new long[] { 1, 20, 30 }, grey.Shape);
            Assert.True(grey.Lt(3).All().Item<bool>());
        }

        // Asked for grey, the same set trains a one-channel student, which reads colour images as their luminance.
        Assert.Equal(new[] { "image" }, Json(SkdProcess.Run("dataset", ds, "--channels", "grey", "--json").StdOut).GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        string greyRun = Path.Combine(root, "grey-run");
        Ok(SkdProcess.Run([.. TinyTraining(ds, greyRun), "--channels", "grey"]));
        var greyInfo = ModelFile.ReadInfo(Path.Combine(greyRun, "best.safetensors"));
        Assert.Equal(1, greyInfo.Network.InChannels);
        Assert.Equal(ImageChannels.Grey, greyInfo.ImageChannels);
        Ok(SkdProcess.Run("predict", "--checkpoint", Path.Combine(greyRun, "best.safetensors"), "--input", input, "--out", Path.Combine(root, "grey-predictions")));
        Ok(SkdProcess.Run("eval", "--run", greyRun, "--data", ds, "--split", "test"));
    }

    [Fact]
    public void PredictThenMetricsScoresWhatEvalScoresOnABinarySet()
    {
        string ds = Path.Combine(root, "vessels");
        Ok(SkdProcess.Run("synth", "vessels", "--out", ds, "--count", "4", "--size", "32"));
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2);
        string evalJson = Path.Combine(root, "eval.json");
        Ok(SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--split", "all", "--json", evalJson));
        double evalDice = Json(File.ReadAllText(evalJson)).GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble();
        Assert.True(evalDice > 0.05, $"the test model should find some vessel (Dice {evalDice})");

        string predictions = Path.Combine(root, "predictions");
        Ok(SkdProcess.Run("predict", "--checkpoint", model, "--input", Path.Combine(ds, "images"), "--out", predictions));
        using (var scope = new DisposeScope())
            foreach (var png in Directory.GetFiles(predictions, "*.png"))
            {
                var pixels = ImageFile.Read(png);
                Assert.True(pixels.Eq(0).LogicalOr(pixels.Eq(255)).All().Item<bool>(), $"{png}: a binary map is written 0/255");
            }
        var (code, stdout, stderr) = SkdProcess.Run("metrics", "--pred", predictions, "--label", Path.Combine(ds, "masks"), "--json");
        Assert.True(code == 0, stdout + stderr);
        var overall = Json(stdout).GetProperty("overall");
        Assert.Equal(evalDice, overall.GetProperty("dice").GetProperty("mean").GetDouble(), 9);
        Assert.Equal(1, Json(stdout).GetProperty("cases")[0].GetProperty("class").GetInt32());
    }

    [Fact]
    public void MetricsRefusesPairsThatCannotBeTheSameClasses()
    {
        string Png(string name, params byte[] values)
        {
            string path = Path.Combine(root, name);
            using var scope = new DisposeScope();
            ImageFile.Write(path, Tensor.From(values, 1, 2, 2));
            return path;
        }
        string binary = Png("binary.png", 0, 255, 255, 0), ids = Png("ids.png", 0, 1, 1, 0), multi = Png("multi.png", 0, 1, 2, 3), grey = Png("grey.png", 0, 128, 128, 0);

        var (code, stdout, stderr) = SkdProcess.Run("metrics", "--pred", ids, "--label", binary, "--json");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(1.0, Json(stdout).GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble());

        (code, _, stderr) = SkdProcess.Run("metrics", "--pred", binary, "--label", multi);
        Assert.Equal(1, code);
        Assert.Contains("skd metrics: error: ", stderr);
        Assert.Contains("binary.png: a binary mask", stderr);

        (code, _, stderr) = SkdProcess.Run("metrics", "--pred", grey, "--label", binary);
        Assert.Equal(1, code);
        Assert.Contains("grey.png: value 128 is not a class of the labels", stderr);
    }
}
