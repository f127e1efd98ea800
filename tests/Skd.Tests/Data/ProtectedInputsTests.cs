namespace Skd.Tests.Data;

/// <summary>The output-path policy: no output into a folder holding inputs, nor inside a dataset folder, however spelled.</summary>
public sealed class ProtectedInputsTests() : TempFolder("skd-protect-")
{
    [Fact]
    public void AFolderHoldingAnInputIsRefusedUnderAnySpelling()
    {
        string inputs = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        File.WriteAllBytes(Path.Combine(inputs, "a.png"), []);
        var policy = ProtectedInputs.OfFiles([Path.Combine(inputs, "a.png")]);
        string link = Path.Combine(root, "link");
        Directory.CreateSymbolicLink(link, inputs);
        foreach (var spelling in new[] { inputs, inputs + "/", Path.Combine(root, "x", "..", "in"), link, link + "/" })
            Assert.Contains("holds the inputs being read", Assert.Throws<ArgumentException>(() => policy.CheckFolder(spelling)).Message);
        Assert.Throws<ArgumentException>(() => policy.CheckFile(Path.Combine(link, "results.json")));
        policy.CheckFolder(Path.Combine(inputs, "predictions"));   // a new folder beside the inputs holds none of them
        policy.CheckFolder(root);
    }

    [Fact]
    public void NothingInsideADatasetFolderIsAnOutputFolder()
    {
        var dataset = SegmentationDataset.Open(TinyData.Vessels(root));
        var policy = ProtectedInputs.OfDataset(dataset);
        string data = dataset.Description.Root;
        Assert.Contains("holds the inputs being read", Assert.Throws<ArgumentException>(() => policy.CheckFolder(Path.Combine(data, "masks"))).Message);
        foreach (var inside in new[] { data, Path.Combine(data, "predictions"), Path.Combine(data, "labelsTs", "new") })
            Assert.Contains("inside the dataset folder being read", Assert.Throws<ArgumentException>(() => policy.CheckFolder(inside)).Message);
        policy.CheckFolder(Path.Combine(root, "predictions"));
        policy.CheckFolder(data + "-predictions");   // a sibling whose name starts with the dataset's
    }

    [Fact]
    public void AFileBeingReadIsNoOutputFileUnderAnySpelling()
    {
        string run = Directory.CreateDirectory(Path.Combine(root, "run")).FullName;
        string model = Path.Combine(run, "best.safetensors");
        File.WriteAllBytes(model, []);
        string link = Path.Combine(root, "model-link.safetensors");
        File.CreateSymbolicLink(link, model);
        var policy = ProtectedInputs.OfFiles([]).AndFile(model);
        foreach (var spelling in new[] { model, Path.Combine(root, "x", "..", "run", "best.safetensors"), link })
            Assert.Contains("this is a file being read", Assert.Throws<ArgumentException>(() => policy.CheckFile(spelling)).Message);
        policy.CheckFile(Path.Combine(run, "eval.json"));   // the model's folder takes other outputs
    }

    [Fact]
    public void TwoOutputsOfOneCommandCannotBeOneFile()
    {
        var policy = ProtectedInputs.OfFiles([]);
        string scores = Path.Combine(root, "scores.csv");
        policy.ClaimOutput(scores, "--json");
        var error = Assert.Throws<ArgumentException>(() => policy.ClaimOutput(Path.Combine(root, ".", "scores.csv"), "--csv"));
        Assert.Contains("both --json and --csv would write this file", error.Message);
        policy.ClaimOutput(Path.Combine(root, "scores_summary.csv"), "--csv (its summary)");
    }
}
