namespace Skd.Cli.Tests;

/// <summary>
/// What predict and eval write: never a file reported written that is not (a full disk is an error,
/// earlier outputs kept whole), never over the inputs or labels being read, never two inputs into
/// one output file.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class OutputSafetyTests : TempFolder
{
    private readonly string data, model;

    public OutputSafetyTests() : base("skd-outputs-cli-")
    {
        data = Path.Combine(root, "vessels");
        var (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", data, "--count", "6", "--size", "32");
        Assert.True(code == 0, stdout + stderr);
        model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2, size: 32);
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private static void AssertUnchanged(Dictionary<string, byte[]> before, string folder)
    {
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (file, bytes) in before) Assert.True(bytes.SequenceEqual(after[file]), $"{file} changed");
    }

    [Fact]
    public void PredictOnAFullDiskFailsAndKeepsTheEarlierOutputsWhole()
    {
        string images = Path.Combine(data, "images"), output = Path.Combine(root, "predictions");
        var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", images, "--out", output, "--overlay");
        Assert.True(code == 0, stdout + stderr);
        var earlier = Snapshot(output);
        Assert.Equal(12, earlier.Count);

        (code, stdout, stderr) = SkdProcess.RunOnFullDisk("predict", "--checkpoint", model, "--input", images, "--out", output, "--overlay");
        Assert.Equal(1, code);
        Assert.DoesNotContain("wrote", stdout);
        Assert.Contains($"skd predict: error: {Path.Combine(output, "0000.png")}: not written: ", stderr);
        AssertUnchanged(earlier, output);   // no output truncated, no temporary left

        string fresh = Path.Combine(root, "fresh");
        (code, _, _) = SkdProcess.RunOnFullDisk("predict", "--checkpoint", model, "--input", images, "--out", fresh);
        Assert.Equal(1, code);
        Assert.Empty(Directory.GetFiles(fresh));   // not one 0-byte PNG
    }

    [Fact]
    public void EvalSavingPredictionsOnAFullDiskFails()
    {
        string output = Path.Combine(root, "saved");
        var (code, stdout, stderr) = SkdProcess.RunOnFullDisk("eval", "--checkpoint", model, "--data", data, "--split", "all", "--save-predictions", output);
        Assert.Equal(1, code);
        Assert.Contains("not written", stderr);
        Assert.DoesNotContain("dice", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Fact]
    public void OutputsIntoTheInputsOrTheDatasetAreRefused()
    {
        var before = Snapshot(data);
        string images = Path.Combine(data, "images");
        string[][] commands =
        [
            ["predict", "--checkpoint", model, "--input", images, "--out", images],
            ["predict", "--checkpoint", model, "--input", Path.Combine(images, "0000.png"), "--out", images + "/"],
            ["eval", "--checkpoint", model, "--data", data, "--save-predictions", Path.Combine(data, "masks")],
            ["eval", "--checkpoint", model, "--data", data, "--save-predictions", Path.Combine(data, "labelsTs")],
            ["eval", "--checkpoint", model, "--data", data, "--json", Path.Combine(data, "masks", "scores.json")],
        ];
        foreach (var command in commands)
        {
            var (code, _, stderr) = SkdProcess.Run(command);
            Assert.True(code == 1, string.Join(' ', command));
            Assert.True(stderr.Contains("holds the inputs being read") || stderr.Contains("inside the dataset folder being read"), stderr);
        }
        AssertUnchanged(before, data);
    }

    [Fact]
    public void ScoresAreNeverWrittenOverTheFilesBeingScoredTheModelOrEachOther()
    {
        var before = Snapshot(data);
        var modelBytes = File.ReadAllBytes(model);
        string masks = Path.Combine(data, "masks"), scores = Path.Combine(root, "scores.csv");
        (string[] Command, string Expected)[] attempts =
        [
            (["metrics", "--pred", masks, "--label", masks, "--csv", Path.Combine(masks, "0002.png")], "this is a file being read"),
            (["metrics", "--pred", masks, "--label", masks, "--csv", Path.Combine(masks, "scores.csv")], "holds the inputs being read"),
            (["eval", "--checkpoint", model, "--data", data, "--json", model], "this is a file being read"),
            (["eval", "--checkpoint", model, "--data", data, "--json", scores, "--csv", scores], "both --json and --csv would write this file"),
            (["eval", "--checkpoint", model, "--data", data, "--json", Path.Combine(root, "scores_summary.csv"), "--csv", scores], "both --json and --csv (its summary) would write"),
        ];
        foreach (var (command, expected) in attempts)
        {
            var (code, stdout, stderr) = SkdProcess.Run(command);
            Assert.True(code == 1, string.Join(' ', command) + stdout + stderr);
            Assert.Contains(expected, stderr);
        }
        AssertUnchanged(before, data);
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
        Assert.False(File.Exists(scores));
    }

    [Theory]
    [InlineData("a.png", "a.bmp", false)]
    [InlineData("b.png", "b_overlay.png", true)]
    public void InputsThatWouldShareAnOutputAreRefusedBeforeAnythingIsWritten(string first, string second, bool overlay)
    {
        string input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        using (var scope = new DisposeScope())
            foreach (var name in new[] { first, second, "c.png" })
                ImageFile.Write(Path.Combine(input, name), torch.RandInt(0, 256, [1, 12, 12], DType.UInt8));
        string output = Path.Combine(root, "out");
        string[] args = ["predict", "--checkpoint", model, "--input", input, "--out", output];
        var (code, stdout, stderr) = SkdProcess.Run(overlay ? [.. args, "--overlay"] : args);
        Assert.Equal(1, code);
        Assert.DoesNotContain("wrote", stdout);
        Assert.Contains("would both be written as", stderr);
        Assert.False(Directory.Exists(output));
    }
}
