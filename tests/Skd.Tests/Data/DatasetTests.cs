namespace Skd.Tests.Data;

/// <summary>Layouts, splits and case loading on small datasets built in temporary folders.</summary>
public sealed class DatasetTests() : TempFolder("skd-ds-")
{
    private string Dir(params string[] parts)
    {
        string d = Path.Combine([root, .. parts]);
        Directory.CreateDirectory(d);
        return d;
    }

    private static void Png(string path, Tensor chw) => ImageFile.Write(path, chw);

    private static Tensor Grey(int h, int w, int value) => torch.Full([1, h, w], value, DType.UInt8);

    [Fact]
    public void PairedFolderWithBinaryMasks()
    {
        using var scope = new DisposeScope();
        string ds = Dir("xcad");
        Dir("xcad", "images");
        Dir("xcad", "masks");
        for (int i = 1; i <= 3; i++)
        {
            Png(Path.Combine(ds, "images", $"{i}.png"), Grey(6, 5, 10 * i));
            var mask = torch.Zeros([1, 6, 5], DType.UInt8);
            mask.Narrow(1, 0, i).Fill_(255);
            Png(Path.Combine(ds, "masks", $"{i}.png"), mask);
        }
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(DatasetLayout.Paired, dataset.Description.Layout);
        Assert.Equal(2, dataset.ClassCount);
        using var c = dataset.Load(dataset.Description.Cases[1]);
        Assert.Equal(new long[] { 1, 1, 6, 5 }, c.Image.Shape);
        Assert.Equal(DType.Float32, c.Image.DType);
        Assert.Equal(20f, c.Image.Max().Item<float>());
        Assert.Equal(new long[] { 1, 6, 5 }, c.Label!.Shape);
        Assert.Equal(10L, c.Label.Sum().Item<long>()); // two rows of 5 pixels are vessel
        Assert.Equal(1L, c.Label.Max().Item<long>());
    }

    [Fact]
    public void MissingOrMismatchedMasksAreClearErrors()
    {
        using var scope = new DisposeScope();
        string ds = Dir("bad");
        Dir("bad", "images");
        Dir("bad", "masks");
        Png(Path.Combine(ds, "images", "a.png"), Grey(6, 5, 1));
        Png(Path.Combine(ds, "masks", "a.png"), Grey(5, 5, 0));
        Png(Path.Combine(ds, "images", "b.png"), Grey(6, 5, 1));
        var ex = Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(ds));
        Assert.Contains(Path.Combine(ds, "images", "b.png"), ex.Message);
        Assert.Contains("no mask", ex.Message);
        File.Delete(Path.Combine(ds, "images", "b.png"));
        var dataset = SegmentationDataset.Open(ds);
        ex = Assert.Throws<DataFormatException>(() => dataset.Load(dataset.Description.Cases[0]));
        Assert.Contains(Path.Combine(ds, "masks", "a.png"), ex.Message);
        Assert.Contains("differs from the image", ex.Message);
    }

    [Fact]
    public void UnknownAndEmptyFoldersAreRejected()
    {
        string empty = Dir("empty");
        Assert.Contains("the folder is empty", Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(empty)).Message);
        string odd = Dir("odd");
        File.WriteAllText(Path.Combine(odd, "notes.txt"), "x");
        var ex = Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(odd));
        Assert.Contains("unknown dataset layout", ex.Message);
        Assert.Contains("notes.txt", ex.Message);
        Assert.Throws<DirectoryNotFoundException>(() => SegmentationDataset.Open(Path.Combine(root, "nowhere")));
    }

    [Fact]
    public void SuffixPairsSplitLikeDca1()
    {
        string ds = Dir("dca1");
        for (int i = 1; i <= 134; i++)
        {
            File.WriteAllBytes(Path.Combine(ds, $"{i}.pgm"), []);
            File.WriteAllBytes(Path.Combine(ds, $"{i}_gt.pgm"), []);
        }
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(DatasetLayout.SuffixPairs, dataset.Description.Layout);
        var test = dataset.Split("test");
        Assert.Equal(Enumerable.Range(101, 34).Select(i => i.ToString()), test.Select(c => c.Id));
        var train = dataset.Split("train");
        var val = dataset.Split("val");
        Assert.Equal(100, train.Count + val.Count);
        Assert.Equal(10, val.Count);
        Assert.Equal("1", train[0].Id);
        Assert.Equal(134, dataset.Split("all").Count);
        Assert.Throws<ArgumentException>(() => dataset.Split("holdout"));
    }

    [Fact]
    public void SplitsFileOverridesTheDefault()
    {
        string ds = Dir("withsplits");
        for (int i = 1; i <= 4; i++)
        {
            File.WriteAllBytes(Path.Combine(ds, $"{i}.png"), []);
            File.WriteAllBytes(Path.Combine(ds, $"{i}_gt.png"), []);
        }
        File.WriteAllText(Path.Combine(ds, "splits.json"), """[{"train": ["1", "2"], "val": ["3"]}, {"train": ["3", "4"], "val": ["1"]}]""");
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(new[] { "1", "2" }, dataset.Split("train").Select(c => c.Id));
        Assert.Equal(new[] { "1" }, dataset.Split("val", fold: 1).Select(c => c.Id));
        Assert.Throws<DataFormatException>(() => dataset.Split("train", fold: 5));
    }

    [Fact]
    public void NnUnetRawVolumesWithTwoChannels()
    {
        using var scope = new DisposeScope();
        string ds = Dir("nnunet");
        Dir("nnunet", "imagesTr");
        Dir("nnunet", "labelsTr");
        File.WriteAllText(Path.Combine(ds, "dataset.json"), """
            {"channel_names": {"0": "FLAIR", "1": "T1c"}, "labels": {"background": 0, "oedema": 1, "tumour": 2},
             "numTraining": 2, "file_ending": ".nii.gz"}
            """);
        for (int i = 0; i < 2; i++)
        {
            NiftiFile.Write(Path.Combine(ds, "imagesTr", $"case_{i:D3}_0000.nii.gz"), torch.Rand([3, 4, 5]), spacing: [1, 1, 2]);
            NiftiFile.Write(Path.Combine(ds, "imagesTr", $"case_{i:D3}_0001.nii.gz"), torch.Rand([3, 4, 5]), spacing: [1, 1, 2]);
            NiftiFile.Write(Path.Combine(ds, "labelsTr", $"case_{i:D3}.nii.gz"), torch.RandInt(0, i == 0 ? 3 : 4, [3, 4, 5]), spacing: [1, 1, 2]);
        }
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(DatasetLayout.NnUnetRaw, dataset.Description.Layout);
        Assert.Equal(new[] { "background", "oedema", "tumour" }, dataset.Description.ClassNames);
        Assert.Equal(new[] { "FLAIR", "T1c" }, dataset.Description.ChannelNames);
        using var c = dataset.Load(dataset.Description.Cases[0]);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, c.Image.Shape);
        Assert.True(c.IsVolume);
        Assert.Equal(new[] { 1.0, 1.0, 2.0 }, c.Spacing);
        Assert.NotNull(c.Geometry);
        var ex = Assert.Throws<DataFormatException>(() => dataset.Load(dataset.Description.Cases[1]));
        Assert.Contains("case_001.nii.gz: label value 3 outside the class range 0..2", ex.Message);

        File.Delete(Path.Combine(ds, "imagesTr", "case_001_0001.nii.gz"));
        ex = Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(ds));
        Assert.Contains("case_001_0001.nii.gz: missing channel file", ex.Message);
    }

    [Fact]
    public void SynapseLayoutFromListsAndFolders()
    {
        using var scope = new DisposeScope();
        string ds = Dir("synapse");
        Dir("synapse", "train_npz");
        Dir("synapse", "test_vol_h5");
        Dir("synapse", "lists");
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        File.Copy(Path.Combine(fixtures, "case0005_slice012.npz"), Path.Combine(ds, "train_npz", "case0005_slice012.npz"));
        File.Copy(Path.Combine(fixtures, "compressed.npz"), Path.Combine(ds, "train_npz", "case0005_slice013.npz"));
        File.Copy(Path.Combine(fixtures, "case0001.npy.h5"), Path.Combine(ds, "test_vol_h5", "case0001.npy.h5"));
        File.WriteAllLines(Path.Combine(ds, "lists", "train.txt"), ["case0005_slice012", "case0005_slice013"]);
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(DatasetLayout.Synapse, dataset.Description.Layout);
        Assert.Equal(9, dataset.ClassCount);
        Assert.Equal(new[] { "case0005_slice012", "case0005_slice013" }, dataset.Split("train").Select(c => c.Id));
        Assert.Equal(new[] { "case0001" }, dataset.Split("test").Select(c => c.Id));
        using var slice = dataset.Load(dataset.Split("train")[0]);
        Assert.Equal(new long[] { 1, 1, 3, 4 }, slice.Image.Shape);
        Assert.Equal(DType.Int64, slice.Label!.DType);
        using var volume = dataset.Load(dataset.Split("test")[0]);
        Assert.Equal(new long[] { 1, 3, 4, 5 }, volume.Image.Shape);
        Assert.True(volume.IsVolume);

        File.AppendAllLines(Path.Combine(ds, "lists", "train.txt"), ["case0009_slice001"]);
        Assert.Contains("case0009_slice001", Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(ds)).Message);
    }

    [Fact]
    public void ColourCodedMasksMapThroughThePalette()
    {
        using var scope = new DisposeScope();
        string ds = Dir("m2cai");
        Dir("m2cai", "images");
        Dir("m2cai", "masks");
        File.WriteAllText(Path.Combine(ds, "palette.json"), JsonSerializer.Serialize(new
        {
            classes = new object[]
            {
                new { name = "background", color = new[] { 0, 0, 0 } },
                new { name = "liver", color = new[] { 255, 0, 0 } },
                new { name = "instrument", color = new[] { 0, 0, 255 } },
            },
        }));
        Png(Path.Combine(ds, "images", "f1.png"), torch.Full([3, 2, 3], 100, DType.UInt8));
        var mask = Tensor.From(new byte[] { 0, 255, 0, 0, 0, 0, /*G*/ 0, 0, 0, 0, 0, 0, /*B*/ 0, 0, 255, 0, 0, 0 }, 3, 2, 3);
        Png(Path.Combine(ds, "masks", "f1.png"), mask);
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(new[] { "background", "liver", "instrument" }, dataset.Description.ClassNames);
        using var c = dataset.Load(dataset.Description.Cases[0]);
        Assert.Equal(new long[] { 0, 1, 2, 0, 0, 0 }, c.Label!.ToArray<long>());
        Assert.Equal(3, c.Image.Size(0));

        var odd = mask.Clone();
        odd.AsSpan<byte>()[3] = 17;
        Png(Path.Combine(ds, "masks", "f1.png"), odd);
        var ex = Assert.Throws<DataFormatException>(() => dataset.Load(dataset.Description.Cases[0]));
        Assert.Contains("colour (17, 0, 0)", ex.Message);
        Assert.Contains("f1.png", ex.Message);
    }
}
