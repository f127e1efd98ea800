namespace Skd.Tests.Data;

/// <summary>NiftiFile against files written and read back by nibabel (Fixtures/make_nifti_fixtures.py).</summary>
public class NiftiFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Fixture("nifti_expected.json"))).RootElement;

    public static TheoryData<string> Files() => new(Expected.EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Files))]
    public void MatchesNibabel(string file)
    {
        var e = Expected.GetProperty(file);
        using var volume = NiftiFile.Read(Fixture(file));
        var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).Reverse().ToArray();
        Assert.Equal(shape, volume.Data.Shape);
        var expected = e.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var actual = volume.Data.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
        var affine = e.GetProperty("affine").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) Assert.Equal(affine[r][c], volume.Affine[r, c], 5);
        var zooms = e.GetProperty("zooms").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(zooms[i], volume.Spacing[i], 6);
    }

    [Fact]
    public void KeepsIntegerLabelsIntegralAndScalesIntensities()
    {
        using var labels = NiftiFile.Read(Fixture("labels_u8.nii.gz"));
        Assert.Equal(DType.UInt8, labels.Data.DType);
        using var ct = NiftiFile.Read(Fixture("ct_i16_scaled.nii"));
        Assert.Equal(DType.Float32, ct.Data.DType);
    }

    [Fact]
    public void RandomCorruptionNeverCrashes() =>
        CorruptFiles.NeverCrash(File.ReadAllBytes(Fixture("ct_i16_scaled.nii")), ".nii", seed: 3, path => NiftiFile.Read(path).Dispose(), count: 300, mutateWithin: 352);

    [Theory]
    [InlineData("out.nii")]
    [InlineData("out.nii.gz")]
    public void WritesPredictionsWithTheInputGeometry(string name)
    {
        string dir = Directory.CreateTempSubdirectory("skd-").FullName;
        try
        {
            using var source = NiftiFile.Read(Fixture("mri_f32_qform.nii.gz"));
            using var prediction = source.Data.Gt(0).To(DType.Int64);
            string path = Path.Combine(dir, name);
            NiftiFile.Write(path, prediction, source.Header);
            using var back = NiftiFile.Read(path);
            Assert.Equal(DType.Int16, back.Data.DType);
            Assert.Equal(prediction.ToArray<long>(), back.Data.To(DType.Int64).ToArray<long>());
            Assert.Equal(source.Spacing, back.Spacing);
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) Assert.Equal(source.Affine[r, c], back.Affine[r, c], 6);
            Assert.Empty(Directory.GetFiles(dir, AtomicFile.TemporaryPattern));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void WritesWithoutATemplate()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.nii.gz");
        try
        {
            using var data = torch.Rand([2, 3, 4]);
            NiftiFile.Write(path, data, spacing: [0.5, 0.7, 2.0]);
            using var back = NiftiFile.Read(path);
            Assert.Equal(data.ToArray<float>(), back.Data.ToArray<float>());
            Assert.Equal(new[] { 0.5, 0.7, 2.0 }, back.Spacing.Select(v => Math.Round(v, 6)));
            Assert.Equal(0.7, back.Affine[1, 1], 6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TruncatedOrCorruptFilesFailNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("skd-").FullName;
        try
        {
            byte[] bytes = File.ReadAllBytes(Fixture("ct_i16_scaled.nii"));
            foreach (int length in new[] { 0, 100, 348, bytes.Length - 2 })
            {
                string path = Path.Combine(dir, $"cut{length}.nii");
                File.WriteAllBytes(path, bytes[..length]);
                Assert.Contains(path, Assert.Throws<DataFormatException>(() => NiftiFile.Read(path)).Message);
            }
            byte[] gz = File.ReadAllBytes(Fixture("labels_u8.nii.gz"));
            string cutGz = Path.Combine(dir, "cut.nii.gz");
            File.WriteAllBytes(cutGz, gz[..(gz.Length / 2)]);
            Assert.Contains(cutGz, Assert.Throws<DataFormatException>(() => NiftiFile.Read(cutGz)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
