namespace Skd.Tests.Data;

/// <summary>Slices of volumes, preprocessing, and the prefetching loader's order, completeness and errors.</summary>
[Collection(SerialCollection.Name)]
public sealed class DataLoaderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-loader-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    /// <summary>An nnU-Net raw CT dataset of volumes with 2..4 slices of 12×10; voxel values encode (case, slice).</summary>
    private SegmentationDataset CtVolumes(int cases)
    {
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        File.WriteAllText(Path.Combine(root, "dataset.json"),
            """{"channel_names": {"0": "CT"}, "labels": {"background": 0, "organ": 1}, "file_ending": ".nii.gz"}""");
        using var scope = new DisposeScope();
        for (int c = 0; c < cases; c++)
        {
            int depth = 2 + c % 3;
            var image = torch.Arange(0, depth, 1, DType.Float32).View(depth, 1, 1).Expand(depth, 12, 10) * 10 + c * 50 - 125;
            NiftiFile.Write(Path.Combine(root, "imagesTr", $"ct_{c:D2}_0000.nii.gz"), image.Contiguous(), spacing: [0.8, 0.8, 2.5]);
            var label = torch.Zeros([depth, 12, 10], DType.Int64);
            label.Narrow(1, 0, 6).Fill_(1);
            NiftiFile.Write(Path.Combine(root, "labelsTr", $"ct_{c:D2}.nii.gz"), label, spacing: [0.8, 0.8, 2.5]);
        }
        return SegmentationDataset.Open(root);
    }

    [Fact]
    public void VolumesBecomeResizedWindowedSlices()
    {
        var dataset = CtVolumes(3);
        using var slices = new SliceDataset(dataset, dataset.Split("all"), DatasetProtocol.Of(dataset).Preprocessor(8));
        Assert.Equal(2 + 3 + 4, slices.Count);
        using var scope = new DisposeScope();
        var (image, label) = slices.Get(3); // case 1, slice 1: -125 + 50 + 10 = -65 HU
        Assert.Equal(new long[] { 1, 8, 8 }, image.Shape);
        Assert.Equal(new long[] { 8, 8 }, label.Shape);
        Assert.Equal((-65 + 125) / 400.0, image.Mean().Item(), 5);
        Assert.Equal(new long[] { 0, 1 }, label.Flatten().Sort().Values.ToArray<long>().Distinct());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void OrderDependsOnlyOnSeedAndEpoch(int workers)
    {
        var dataset = CtVolumes(5);
        using var slices = new SliceDataset(dataset, dataset.Split("all"), DatasetProtocol.Of(dataset).Preprocessor(8));
        var reference = new DataLoader(slices, 3, seed: 9, workers: 0);
        var loader = new DataLoader(slices, 3, seed: 9, workers: workers, prefetch: 2);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var expected = reference.Epoch(epoch).Select(Means).ToList();
            var actual = loader.Epoch(epoch).Select(Means).ToList();
            Assert.Equal(expected, actual);
            Assert.Equal(slices.Count, actual.Sum(b => b.Length));
            Assert.Equal(slices.Count, actual.SelectMany(b => b).Distinct().Count());
        }
        Assert.NotEqual(loader.Epoch(0).Select(Means).First(), loader.Epoch(1).Select(Means).First());
        Assert.True(loader.LastEpochWait >= TimeSpan.Zero);
    }

    /// <summary>Each sample's mean intensity, which identifies (case, slice); disposes the batch.</summary>
    private static double[] Means(Batch batch)
    {
        using (batch)
        {
            Assert.Equal(batch.Images.Size(0), batch.Labels.Size(0));
            Assert.Equal(DType.Int64, batch.Labels.DType);
            return batch.Images.Mean([1, 2, 3]).To(DType.Float64).ToArray<double>().Select(v => Math.Round(v, 6)).ToArray();
        }
    }

    [Fact]
    public void TwoDimensionalCasesDecodeLazilyWithOrWithoutCache()
    {
        string dir = Path.Combine(root, "paired");
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        Directory.CreateDirectory(Path.Combine(dir, "masks"));
        using (var scope = new DisposeScope())
            for (int i = 0; i < 4; i++)
            {
                ImageFile.Write(Path.Combine(dir, "images", $"{i}.png"), torch.Full([1, 6, 6], 40 * i, DType.UInt8));
                ImageFile.Write(Path.Combine(dir, "masks", $"{i}.png"), torch.Zeros([1, 6, 6], DType.UInt8));
            }
        var dataset = SegmentationDataset.Open(dir);
        File.WriteAllBytes(Path.Combine(dir, "images", "3.png"), [1, 2, 3]); // broken, but not read until needed
        foreach (bool cache in new[] { true, false })
        {
            using var slices = new SliceDataset(dataset, dataset.Split("all"), DatasetProtocol.Of(dataset).Preprocessor(4), cache);
            Assert.Equal(4, slices.Count);
            using var scope = new DisposeScope();
            Assert.Equal(80 / 255.0, slices.Get(2).Image.Mean().Item(), 5);
            Assert.Equal(80 / 255.0, slices.Get(2).Image.Mean().Item(), 5);
            Assert.Contains("3.png", Assert.Throws<DataFormatException>(() => slices.Get(3)).Message);
        }
    }

    [Fact]
    public void StoppingEarlyLeaksNothing()
    {
        var dataset = CtVolumes(5);
        using var slices = new SliceDataset(dataset, dataset.Split("all"), DatasetProtocol.Of(dataset).Preprocessor(8));
        var loader = new DataLoader(slices, 2, seed: 1, workers: 2, prefetch: 3);
        long before = torch.LiveTensorCount;
        foreach (var batch in loader.Epoch(0))
        {
            batch.Dispose();
            break;
        }
        Assert.Equal(before, torch.LiveTensorCount);
    }

    [Fact]
    public void ACorruptCaseFailsNamingTheFile()
    {
        var dataset = CtVolumes(3);
        string broken = Path.Combine(root, "imagesTr", "ct_02_0000.nii.gz");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..40]);
        var ex = Assert.Throws<DataFormatException>(() => new SliceDataset(dataset, dataset.Split("all"), DatasetProtocol.Of(dataset).Preprocessor(8)));
        Assert.Contains(broken, ex.Message);
    }
}
