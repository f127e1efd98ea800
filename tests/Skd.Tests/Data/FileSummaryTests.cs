namespace Skd.Tests.Data;

public class FileSummaryTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void SummarisesAVolumeWithGeometry()
    {
        var s = FileSummary.Of(Fixture("mri_f32_qform.nii.gz"));
        Assert.Equal("NIfTI-1", s.Format);
        Assert.Equal("ALS", s.Orientation); // nibabel.aff2axcodes of the fixture's affine
        Assert.Equal(new long[] { 2, 3, 4 }, s.Arrays[0].Shape);
        Assert.Equal(2.5, s.Spacing![2], 6);
        Assert.True(s.Arrays[0].Min < s.Arrays[0].Mean && s.Arrays[0].Mean < s.Arrays[0].Max);
    }

    [Fact]
    public void SummarisesImagesArchivesAndWeights()
    {
        var png = FileSummary.Of(Fixture("rgb8.png"));
        Assert.Contains("PNG image, 8-bit, 3 channel(s), 6×4", png.Format);
        var npz = FileSummary.Of(Fixture("compressed.npz"));
        Assert.Equal(new[] { "image", "label" }, npz.Arrays.Select(a => a.Name));
        Assert.Equal(8, npz.Arrays[1].Max);
        var h5 = FileSummary.Of(Fixture("case0001.npy.h5"));
        Assert.Equal(3, h5.Arrays.Count);

        string weights = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var w = torch.Zeros(3, 4))
                SafetensorsFile.Save(weights, [new("head.weight", w)], new Dictionary<string, string> { ["method"] = "dskd" });
            var st = FileSummary.Of(weights);
            Assert.Equal("head.weight", st.Arrays[0].Name);
            Assert.Equal(new long[] { 3, 4 }, st.Arrays[0].Shape);
            Assert.Equal("dskd", st.Metadata!["method"]);
        }
        finally
        {
            File.Delete(weights);
        }
    }

    [Fact]
    public void RejectsUnknownAndMissingFiles()
    {
        Assert.Throws<FileNotFoundException>(() => FileSummary.Of(Fixture("none.nii")));
        string text = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.txt");
        File.WriteAllText(text, "x");
        try { Assert.Contains("unknown file type", Assert.Throws<DataFormatException>(() => FileSummary.Of(text)).Message); }
        finally { File.Delete(text); }
    }

    [Theory]
    [InlineData(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, "RAS")]
    [InlineData(new double[] { -1, 0, 0, 0, -1, 0, 0, 0, 1 }, "LPS")]
    [InlineData(new double[] { 0, 0, -2, 1, 0, 0, 0, -1, 0 }, "AIL")]
    public void AxisCodesFollowNibabel(double[] m, string expected)
    {
        var affine = new double[4, 4];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) affine[r, c] = m[3 * r + c];
        Assert.Equal(expected, FileSummary.AxisCodes(affine));
    }
}
