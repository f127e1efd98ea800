namespace Skd.Tests.Data;

/// <summary>Hdf5File (libhdf5) against a file written by h5py (Fixtures/make_io_fixtures.py).</summary>
public class Hdf5FileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Fixture("io_expected.json"))).RootElement;

    [Fact]
    public void ReadsTransUNetStyleVolumes()
    {
        string path = Fixture("case0001.npy.h5");
        Assert.Equal(new[] { "counts", "image", "label" }, Hdf5File.Datasets(path));
        using var image = Hdf5File.Read(path, "image");
        Assert.Equal(new long[] { 3, 4, 5 }, image.Shape);
        Assert.Equal(DType.Float32, image.DType);
        Assert.Equal(Expected.GetProperty("h5_image").EnumerateArray().Select(v => v.GetSingle()), image.ToArray<float>());
        using var label = Hdf5File.Read(path, "label");
        Assert.Equal(Expected.GetProperty("h5_label").EnumerateArray().Select(v => v.GetSingle()), label.ToArray<float>());
        using var counts = Hdf5File.Read(path, "counts");
        Assert.Equal(DType.Int64, counts.DType);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, counts.ToArray<long>());
    }

    [Fact]
    public void BadFilesFailNamingTheFile()
    {
        string path = Fixture("case0001.npy.h5");
        Assert.Contains("no dataset 'missing'", Assert.Throws<DataFormatException>(() => Hdf5File.Read(path, "missing")).Message);
        string dir = Directory.CreateTempSubdirectory("skd-").FullName;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            string cut = Path.Combine(dir, "cut.npy.h5");
            File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
            var ex = Assert.Throws<DataFormatException>(() => Hdf5File.Read(cut, "label"));
            Assert.Contains(cut, ex.Message);
            string text = Path.Combine(dir, "text.h5");
            File.WriteAllText(text, "not hdf5");
            Assert.Contains("not an HDF5 file", Assert.Throws<DataFormatException>(() => Hdf5File.Read(text, "image")).Message);
            Assert.Throws<FileNotFoundException>(() => Hdf5File.Read(Path.Combine(dir, "none.h5"), "image"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RandomCorruptionNeverCrashes() =>
        CorruptFiles.NeverCrash(File.ReadAllBytes(Fixture("case0001.npy.h5")), ".h5", seed: 17, path =>
        {
            foreach (var name in Hdf5File.Datasets(path)) Hdf5File.Read(path, name).Dispose();
        });

    [Theory]
    [InlineData("external_storage.npy.h5", "keeps its data in external files")]   // /etc/passwd read as an image without the check
    [InlineData("external_link.npy.h5", "is a link, not a dataset stored in the file")]
    [InlineData("virtual.npy.h5", "is a virtual dataset mapping other files")]
    [InlineData("soft_link.npy.h5", "is a link, not a dataset stored in the file")]
    public void DataStoredOutsideTheFileIsRefused(string file, string problem)
    {
        // Fixtures/make_hdf5_link_fixtures.py (h5py).
        string path = Fixture(file);
        var e = Assert.Throws<DataFormatException>(() => Hdf5File.Read(path, "image"));
        Assert.StartsWith($"{path}: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Throws<DataFormatException>(() => Hdf5File.Shape(path, "image"));
        bool isLink = problem.StartsWith("is a link", StringComparison.Ordinal);
        Assert.Equal(isLink ? ["label"] : ["image", "label"], Hdf5File.Datasets(path));   // links are not followed even to list
    }
}
