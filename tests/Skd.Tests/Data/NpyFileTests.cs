namespace Skd.Tests.Data;

/// <summary>NpyFile against files written by NumPy itself (Fixtures/make_npy_fixtures.py).</summary>
public class NpyFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static double[] Base(Func<int, double> f) => Enumerable.Range(0, 24).Select(f).ToArray();

    [Theory]
    [InlineData("f4.npy", DType.Float32)]
    [InlineData("f8.npy", DType.Float64)]
    [InlineData("bigendian_f4.npy", DType.Float32)]
    [InlineData("fortran_f4.npy", DType.Float32)]
    [InlineData("f2.npy", DType.Float16)]
    public void ReadsFloatingPoint(string file, DType dtype)
    {
        using var t = NpyFile.Read(Fixture(file));
        Assert.Equal(new long[] { 2, 3, 4 }, t.Shape);
        Assert.Equal(dtype, t.DType);
        double divisor = file.StartsWith("f2") ? 4 : 7;
        var expected = Base(i => i / divisor);
        var actual = t.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < 24; i++) Assert.Equal(expected[i], actual[i], dtype == DType.Float64 ? 12 : 5);
    }

    [Theory]
    [InlineData("i8.npy", DType.Int64, -5, 1)]
    [InlineData("i4.npy", DType.Int32, -5, 1)]
    [InlineData("i2.npy", DType.Int16, -5, 1)]
    [InlineData("i1.npy", DType.Int8, -5, 1)]
    [InlineData("u1.npy", DType.UInt8, 0, 1)]
    [InlineData("u2.npy", DType.Int32, 0, 2000)]
    [InlineData("u4.npy", DType.Int64, 0, 100000000)]
    public void ReadsIntegers(string file, DType dtype, int offset, int scale)
    {
        using var t = NpyFile.Read(Fixture(file));
        Assert.Equal(dtype, t.DType);
        Assert.Equal(Base(i => i * (double)scale + offset), t.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void ReadsBoolScalarAndEmpty()
    {
        using var b = NpyFile.Read(Fixture("b1.npy"));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i % 3 == 0), b.ToArray<bool>());
        using var s = NpyFile.Read(Fixture("scalar.npy"));
        Assert.Empty(s.Shape);
        Assert.Equal(2.5f, s.Item<float>());
        using var e = NpyFile.Read(Fixture("empty.npy"));
        Assert.Equal(new long[] { 0, 3 }, e.Shape);
    }

    [Theory]
    [InlineData("case0005_slice012.npz")]
    [InlineData("compressed.npz")]
    public void ReadsStoredAndDeflatedArchives(string file)
    {
        var arrays = NpyFile.ReadArchive(Fixture(file));
        try
        {
            Assert.Equal(new[] { "image", "label" }, arrays.Keys);
            Assert.Equal(new long[] { 3, 4 }, arrays["image"].Shape);
            Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)(i % 9)), arrays["label"].ToArray<float>());
        }
        finally
        {
            foreach (var t in arrays.Values) t.Dispose();
        }
    }

    [Fact]
    public void TruncatedAndCorruptFilesFailNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("skd-").FullName;
        try
        {
            byte[] bytes = File.ReadAllBytes(Fixture("f4.npy"));
            foreach (int length in new[] { 0, 5, 9, 40, bytes.Length - 1 })
            {
                string path = Path.Combine(dir, $"cut{length}.npy");
                File.WriteAllBytes(path, bytes[..length]);
                Assert.Contains(path, Assert.Throws<DataFormatException>(() => NpyFile.Read(path)).Message);
            }
            string npz = Path.Combine(dir, "cut.npz");
            byte[] zip = File.ReadAllBytes(Fixture("compressed.npz"));
            File.WriteAllBytes(npz, zip[..(zip.Length / 2)]);
            Assert.Contains(npz, Assert.Throws<DataFormatException>(() => NpyFile.ReadArchive(npz)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RandomCorruptionNeverCrashes()
    {
        CorruptFiles.NeverCrash(File.ReadAllBytes(Fixture("f4.npy")), ".npy", seed: 5, path => NpyFile.Read(path).Dispose(), mutateWithin: 128);
        CorruptFiles.NeverCrash(File.ReadAllBytes(Fixture("compressed.npz")), ".npz", seed: 23, path =>
        {
            foreach (var t in NpyFile.ReadArchive(path).Values) t.Dispose();
        });
    }
}
