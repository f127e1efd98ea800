namespace Skd.Tests.Data;

/// <summary>No case id from a file leads a reader out of its dataset folder or a writer out of its output folder.</summary>
public sealed class CaseNamesTests() : TempFolder("skd-names-")
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Theory]
    [InlineData("../../evil/x")]
    [InlineData("..")]
    [InlineData("sub/case0001")]
    [InlineData("ABSOLUTE")]
    public void ASynapseListNamingAPathIsRefused(string id)
    {
        // The file the id points to exists: only the check stops the reader.
        string data = Directory.CreateDirectory(Path.Combine(root, "synapse")).FullName;
        string tests = Directory.CreateDirectory(Path.Combine(data, "test_vol_h5")).FullName;
        Directory.CreateDirectory(Path.Combine(data, "lists"));
        Directory.CreateDirectory(Path.Combine(tests, "sub"));
        Directory.CreateDirectory(Path.Combine(root, "evil"));
        File.Copy(Fixture("case0001.npy.h5"), Path.Combine(tests, "case0001.npy.h5"));
        File.Copy(Fixture("case0001.npy.h5"), Path.Combine(tests, "sub", "case0001.npy.h5"));
        File.Copy(Fixture("case0001.npy.h5"), Path.Combine(root, "evil", "x.npy.h5"));
        if (id == "ABSOLUTE") id = Path.Combine(root, "evil", "x");
        string list = Path.Combine(data, "lists", "test_vol.txt");
        File.WriteAllLines(list, ["case0001", id]);
        var e = Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(data));
        Assert.StartsWith($"{list}: case id '{id}' is not a plain file name", e.Message);
    }

    [Fact]
    public void TwoCasesOfOneIdAreRefused()
    {
        string data = Path.Combine(root, "paired");
        foreach (var (folder, name) in new[] { ("images", "a.png"), ("images", "a.bmp"), ("masks", "a.png") })
        {
            Directory.CreateDirectory(Path.Combine(data, folder));
            using var scope = new DisposeScope();
            ImageFile.Write(Path.Combine(data, folder, name), torch.Zeros([1, 4, 4], DType.UInt8));
        }
        var e = Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(data));
        Assert.Contains("two cases have the id 'a'", e.Message);
    }

    [Fact]
    public void APredictionIsNeverWrittenOutsideItsFolder()
    {
        string output = Path.Combine(root, "out");
        using var scope = new DisposeScope();
        foreach (var id in new[] { "../escaped", "/tmp/escaped", "sub/../../escaped" })
        {
            var c = new LoadedCase { Files = new CaseFiles(id, ["in.png"], null, CaseStorage.Image2D), Image = torch.Zeros([1, 1, 4, 4]) };
            Assert.Throws<DataFormatException>(() => PredictionFiles.WriteLabels(output, c, torch.Zeros([1, 4, 4], DType.Int64), classes: 2));
            Assert.Throws<DataFormatException>(() => PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), output, [c.Files], overlays: false));
        }
        Assert.False(File.Exists(Path.Combine(root, "escaped.png")));
        Assert.False(File.Exists("/tmp/escaped.png"));
    }

    [Fact]
    public void InputsOfOneStemCollideBeforeAnythingIsWritten()
    {
        string output = Path.Combine(root, "out");
        CaseFiles Input(string name) => InputFile.Case(Path.Combine(root, name));
        var e = Assert.Throws<ArgumentException>(() => PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), output, [Input("a.png"), Input("a.bmp")], overlays: false));
        Assert.Contains($"{Path.Combine(root, "a.png")} and {Path.Combine(root, "a.bmp")} would both be written as {Path.Combine(output, "a.png")}", e.Message);
        PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), output, [Input("b.png"), Input("b_overlay.png")], overlays: false);
        Assert.Contains("b_overlay.png", Assert.Throws<ArgumentException>(() => PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), output, [Input("b.png"), Input("b_overlay.png")], overlays: true)).Message);
        PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), output, [Input("c.nii.gz"), Input("c_overlay.png")], overlays: true);   // c.nii.gz, c_overlay/ and c_overlay.png, c_overlay_overlay.png
        Assert.False(Directory.Exists(output));
    }
}
