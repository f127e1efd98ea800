namespace Skd.Tests.Data;

/// <summary>ImageFile (OpenCV) against images written by Pillow (Fixtures/make_io_fixtures.py).</summary>
public class ImageFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Fixture("io_expected.json"))).RootElement;
    private static long[] Values(string key) => Expected.GetProperty(key).EnumerateArray().Select(v => v.GetInt64()).ToArray();

    [Theory]
    [InlineData("grey8.png")]
    [InlineData("grey8.pgm")]
    [InlineData("grey8.tif")]
    public void ReadsEightBitGrey(string file)
    {
        using var image = ImageFile.Read(Fixture(file));
        Assert.Equal(new long[] { 1, 5, 7 }, image.Shape);
        Assert.Equal(DType.UInt8, image.DType);
        Assert.Equal(Values("grey8"), image.ToArray<byte>().Select(v => (long)v));
    }

    [Theory]
    [InlineData("rgb8.png")]
    [InlineData("rgb8.bmp")]
    public void ReadsColourInRgbOrder(string file)
    {
        using var image = ImageFile.Read(Fixture(file));
        Assert.Equal(new long[] { 3, 4, 6 }, image.Shape);
        Assert.Equal(Values("rgb8"), image.ToArray<byte>().Select(v => (long)v));
    }

    [Fact]
    public void ReadsSixteenBitAsInt32()
    {
        using var image = ImageFile.Read(Fixture("grey16.png"));
        Assert.Equal(DType.Int32, image.DType);
        Assert.Equal(Values("grey16"), image.ToArray<int>().Select(v => (long)v));
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".tif")]
    [InlineData(".bmp")]
    [InlineData(".ppm")]
    public void WritesWhatItReads(string extension)
    {
        using var scope = new DisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}{extension}");
        try
        {
            var rgb = torch.RandInt(0, 256, [3, 9, 11], DType.UInt8);
            ImageFile.Write(path, rgb);
            Assert.Equal(rgb.ToArray<byte>(), ImageFile.Read(path).ToArray<byte>());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFailedWriteKeepsThePreviousFileAndLeavesNoTemporary()
    {
        using var scope = new DisposeScope();
        string dir = Directory.CreateTempSubdirectory("skd-image-").FullName;
        try
        {
            string path = Path.Combine(dir, "labels.png");
            ImageFile.Write(path, torch.Ones([1, 5, 5], DType.UInt8));
            byte[] before = File.ReadAllBytes(path);
            Assert.Throws<ArgumentException>(() => ImageFile.Write(path, torch.Full([1, 5, 5], 70000, DType.Int64)));   // too large for 16 bits
            Assert.Throws<DataFormatException>(() => ImageFile.Write(Path.Combine(dir, "labels.unknown"), torch.Ones([1, 5, 5], DType.UInt8)));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void JpegRoundTripIsCloseAndRgb()
    {
        using var scope = new DisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.jpg");
        try
        {
            var image = torch.Zeros([3, 16, 16], DType.UInt8);
            image.Select(0, 0).Fill_(200);   // a red square: channel order survives the BGR round trip
            ImageFile.Write(path, image);
            var back = ImageFile.Read(path).To(DType.Float32);
            Assert.Equal(new long[] { 3, 16, 16 }, back.Shape);
            Assert.InRange(back.Select(0, 0).Mean().Item(), 185, 215);
            Assert.InRange(back.Select(0, 2).Mean().Item(), 0, 15);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WritesSixteenBitPng()
    {
        using var scope = new DisposeScope();
        string path = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.png");
        try
        {
            var mask = torch.RandInt(0, 65536, [1, 4, 5], DType.Int32);
            ImageFile.Write(path, mask);
            Assert.Equal(mask.ToArray<int>(), ImageFile.Read(path).ToArray<int>());
            Assert.Throws<ArgumentException>(() => ImageFile.Write(path, torch.Full([1, 2, 2], 70000, DType.Int32)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TruncatedOrCorruptImagesFailNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("skd-").FullName;
        try
        {
            byte[] png = File.ReadAllBytes(Fixture("rgb8.png"));
            foreach (int length in new[] { 0, 8, 30, png.Length / 2 })
            {
                string path = Path.Combine(dir, $"cut{length}.png");
                File.WriteAllBytes(path, png[..length]);
                var ex = Assert.Throws<DataFormatException>(() => ImageFile.Read(path));
                Assert.Contains(path, ex.Message);
            }
            string text = Path.Combine(dir, "notes.png");
            File.WriteAllText(text, "not an image");
            Assert.Contains("cannot decode", Assert.Throws<DataFormatException>(() => ImageFile.Read(text)).Message);
            Assert.Throws<FileNotFoundException>(() => ImageFile.Read(Path.Combine(dir, "missing.png")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RandomCorruptionNeverCrashes() =>
        CorruptFiles.NeverCrash(File.ReadAllBytes(Fixture("rgb8.png")), ".png", seed: 11, path => ImageFile.Read(path).Dispose());
}

public class OverlayTests
{
    [Fact]
    public void BlendsClassColoursOverLabelledPixelsOnly()
    {
        using var scope = new DisposeScope();
        var image = Tensor.From(new float[] { 0, 100, 200, 50 }, 2, 2);          // min-max scaled to 0..255 for display
        var labels = Tensor.From(new long[] { 0, 1, 2, 0 }, 2, 2);
        var overlay = Overlay.Render(image, labels, alpha: 0.5);
        Assert.Equal(new long[] { 3, 2, 2 }, overlay.Shape);
        Assert.Equal(DType.UInt8, overlay.DType);
        var px = overlay.To(DType.Int64).Permute(1, 2, 0).Reshape(4, 3).ToArray<long>();
        Assert.Equal(new long[] { 0, 0, 0 }, px[0..3]);                           // background untouched
        Assert.Equal(new long[] { 64, 64, 64 }, px[9..12]);                       // 50/200·255 = 63.75
        var (r, g, b) = Overlay.Colours[0];
        Assert.Equal(new long[] { (long)Math.Round(63.75 + r / 2.0), (long)Math.Round(63.75 + g / 2.0), (long)Math.Round(63.75 + b / 2.0) }, px[3..6]);
        Assert.Throws<ArgumentException>(() => Overlay.Render(image, Tensor.From(new long[] { 0, 1, 2 }, 1, 3)));
    }

    [Fact]
    public void WritesAPng()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skd-{Guid.NewGuid():N}.png");
        try
        {
            using var scope = new DisposeScope();
            Overlay.Write(path, torch.Rand(3, 8, 8), torch.RandInt(0, 4, [8, 8]));
            Assert.Equal(new long[] { 3, 8, 8 }, ImageFile.Read(path).Shape);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
