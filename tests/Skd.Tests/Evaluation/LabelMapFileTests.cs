namespace Skd.Tests.Evaluation;

/// <summary>Label maps read for scoring with the dataset reader's mask convention, and pairs that cannot be the same classes refused.</summary>
public sealed class LabelMapFileTests() : TempFolder("skd-labelmap-")
{
    private string Png(string name, params byte[] values)
    {
        string path = Path.Combine(root, name);
        using var scope = new DisposeScope();
        ImageFile.Write(path, Tensor.From(values, 1, 1, values.Length));
        return path;
    }

    [Fact]
    public void BinaryMasksStored0And255AreReadAs0And1()
    {
        using var mask = LabelMapFile.Read(Png("mask.png", 0, 255, 255, 0));
        Assert.Same(MaskEncoding.Binary, mask.Encoding);
        Assert.Equal(new long[] { 0, 1, 1, 0 }, mask.Map.Flatten().ToArray<long>());
        using var ids = LabelMapFile.Read(Png("ids.png", 0, 1, 2, 0));
        Assert.Same(MaskEncoding.ClassIds, ids.Encoding);
        Assert.Equal(new long[] { 0, 1, 2, 0 }, ids.Map.Flatten().ToArray<long>());
        using var prediction = LabelMapFile.Read(Png("pred.png", 0, 1, 0, 0));
        LabelMapFile.CheckPair(prediction, mask, 2, inferred: true);
    }

    [Fact]
    public void PairsThatCannotBeTheSameClassesAreRefused()
    {
        using var binary = LabelMapFile.Read(Png("binary.png", 0, 255, 0, 0));
        using var multi = LabelMapFile.Read(Png("multi.png", 0, 1, 2, 3));
        var ex = Assert.Throws<DataFormatException>(() => LabelMapFile.CheckPair(binary, multi, 4, inferred: true));
        Assert.Contains("binary.png: a binary mask", ex.Message);
        Assert.Contains("4 classes", ex.Message);

        using var grey = LabelMapFile.Read(Png("grey.png", 0, 128, 0, 0));
        ex = Assert.Throws<DataFormatException>(() => LabelMapFile.CheckPair(grey, binary, 2, inferred: true));
        Assert.Contains("grey.png: value 128 is not a class of the labels (their class ids are 0..1)", ex.Message);
        Assert.Contains("value 128 is not a class id in 0..1", Assert.Throws<DataFormatException>(() => LabelMapFile.CheckPair(grey, binary, 2, inferred: false)).Message);
    }

    [Fact]
    public void ADatasetsPaletteBesideTheLabelsDecodesThem()
    {
        // DATA/masks holds grey-coded masks (0, 128, 255 for three classes), DATA/palette.json maps them.
        string masks = Directory.CreateDirectory(Path.Combine(root, "data", "masks")).FullName;
        File.WriteAllText(Path.Combine(root, "data", "palette.json"),
            """{"classes": [{"name": "bg", "color": 0}, {"name": "cell", "color": 128}, {"name": "membrane", "color": [255, 255, 255]}]}""");
        string mask = Png(Path.Combine("data", "masks", "a.png"), 0, 128, 255, 0);
        foreach (var labels in new[] { masks, mask })
        {
            var encoding = LabelMapFile.DatasetMasks(labels);
            Assert.NotNull(encoding);
            using var read = LabelMapFile.Read(mask, encoding);
            Assert.Equal(new long[] { 0, 1, 2, 0 }, read.Map.Flatten().ToArray<long>());
        }
        Assert.Null(LabelMapFile.DatasetMasks(root));   // no palette in or beside it: detected per file
    }
}
