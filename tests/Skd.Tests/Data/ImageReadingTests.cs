namespace Skd.Tests.Data;

/// <summary>
/// How pixel values in files become tensors: colour images as three channels (or grey when asked),
/// 16-bit images scaled by their bit depth, and masks by one encoding (class ids, binary, palettes with
/// colour or grey values), on small datasets written in temporary folders.
/// </summary>
public sealed class ImageReadingTests() : TempFolder("skd-pixels-")
{
    /// <summary>A paired dataset folder (images/ + masks/) with these images and masks by name, and a palette.json when given.</summary>
    private string Paired(string name, IEnumerable<(string File, Tensor Image, Tensor Mask)> cases, string? palette = null)
    {
        string ds = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(ds, "images"));
        Directory.CreateDirectory(Path.Combine(ds, "masks"));
        foreach (var (file, image, mask) in cases)
        {
            ImageFile.Write(Path.Combine(ds, "images", file), image);
            ImageFile.Write(Path.Combine(ds, "masks", file), mask);
        }
        if (palette is not null) File.WriteAllText(Path.Combine(ds, "palette.json"), palette);
        return ds;
    }

    /// <summary>A (3, 4, 5) uint8 image whose pixel (y, x) is (10y + x, 100 + x, 200 − y).</summary>
    private static Tensor Colour()
    {
        var v = new byte[3 * 4 * 5];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++)
                (v[y * 5 + x], v[20 + y * 5 + x], v[40 + y * 5 + x]) = ((byte)(10 * y + x), (byte)(100 + x), (byte)(200 - y));
        return Tensor.From(v, 3, 4, 5);
    }

    private static Tensor Zeros() => torch.Zeros([1, 4, 5], DType.UInt8);

    private const string RgbPalette = """{"classes": [{"name": "background", "color": [0, 0, 0]}, {"name": "tool", "color": [255, 0, 0]}]}""";

    [Fact]
    public void ColourImagesAreThreeInputChannels()
    {
        using var scope = new DisposeScope();
        var mask = torch.Zeros([3, 4, 5], DType.UInt8);
        mask[0].Narrow(0, 0, 2).Fill_(255);   // the top two rows are the tool (255, 0, 0)
        string ds = Paired("m2cai", [("a.png", Colour(), mask)], RgbPalette);
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(ImageChannels.Rgb, dataset.ImageChannels);
        Assert.Equal(new[] { "red", "green", "blue" }, dataset.InputChannels);
        using var c = dataset.Load(dataset.Description.Cases[0]);
        Assert.Equal(new long[] { 3, 1, 4, 5 }, c.Image.Shape);
        Assert.Equal(Colour().Float().ToArray<float>(), c.Image.Squeeze(1).ToArray<float>());
        Assert.Equal(10L, c.Label!.Sum().Item<long>());
    }

    [Fact]
    public void AlphaIsDroppedAndModesConvert()
    {
        using var scope = new DisposeScope();
        var rgba = torch.Cat([Colour(), torch.Full([1, 4, 5], 7, DType.UInt8)], 0);
        Assert.Equal(Colour().Float().ToArray<float>(), ImageInput.ToChannels(rgba, null).ToArray<float>());
        var grey = torch.Full([1, 4, 5], 90, DType.UInt8);
        var greyAsRgb = ImageInput.ToChannels(grey, ImageChannels.Rgb);
        Assert.Equal(new long[] { 3, 4, 5 }, greyAsRgb.Shape);
        Assert.True(greyAsRgb.Eq(90).All().Item<bool>());
        var red = torch.Zeros([3, 1, 1], DType.UInt8);
        red[0].Fill_(255);
        Assert.Equal(0.299 * 255, ImageInput.ToChannels(red, ImageChannels.Grey).Item<float>(), 3);   // BT.601 luminance
        Assert.Equal(ImageChannels.Grey, ImageInput.Parse("gray"));
        Assert.Throws<ArgumentException>(() => ImageInput.Parse("cmyk"));
    }

    [Fact]
    public void AnImageStoredUnlikeTheFirstIsAnErrorUnlessChannelsAreGiven()
    {
        using var scope = new DisposeScope();
        string ds = Paired("mixed", [("1.png", torch.Full([1, 4, 5], 40, DType.UInt8), Zeros()), ("2.png", Colour(), Zeros())]);
        var auto = SegmentationDataset.Open(ds);
        Assert.Equal(ImageChannels.Grey, auto.ImageChannels);
        var ex = Assert.Throws<DataFormatException>(() => auto.Load(auto.Description.Cases[1]));
        Assert.Contains(Path.Combine(ds, "images", "2.png"), ex.Message);
        OptionMessages.Names(ex, "channels", "give --channels grey or --channels rgb");

        var rgb = SegmentationDataset.Open(ds, channels: ImageChannels.Rgb);
        Assert.Equal(3, rgb.InputChannels.Count);
        using (var c = rgb.Load(rgb.Description.Cases[0])) Assert.True(c.Image.Eq(40).All().Item<bool>());
        var grey = SegmentationDataset.Open(ds, channels: ImageChannels.Grey);
        using (var c = grey.Load(grey.Description.Cases[1]))
        {
            Assert.Equal(new long[] { 1, 1, 4, 5 }, c.Image.Shape);
            var expected = ImageInput.ToChannels(Colour(), ImageChannels.Grey);
            Assert.True(c.Image.Squeeze(1).Sub(expected).Abs().Max().Item<float>() < 1e-4);
        }
    }

    [Fact]
    public void SixteenBitImagesAreScaledByTheirBitDepth()
    {
        using var scope = new DisposeScope();
        var values = Tensor.From(new[] { 0, 1000, 30000, 65535 }, 1, 2, 2);
        string ds = Paired("sixteen", [("a.png", values, torch.Zeros([1, 2, 2], DType.UInt8))]);
        var dataset = SegmentationDataset.Open(ds);
        using var c = dataset.Load(dataset.Description.Cases[0]);
        Assert.Equal(65535.0, c.FullScale);
        var slices = DatasetProtocol.Of(dataset).Preprocessor(2).NormalizedSlices(c);
        float[] expected = [0f, 1000f / 65535, 30000f / 65535, 1f];
        Assert.Equal(expected, slices.Flatten().ToArray<float>(), new FloatTolerance(1e-6f));

        // prediction reads a lone 16-bit image the same way
        using var input = InputFile.Load(Path.Combine(ds, "images", "a.png"));
        Assert.Equal(expected, DatasetProtocol.Of(dataset).Preprocessor(2).NormalizedSlices(input).Flatten().ToArray<float>(), new FloatTolerance(1e-6f));
        using var eight = InputFile.Load(WriteEightBit());
        Assert.Equal(1f, DatasetProtocol.Of(dataset).Preprocessor(2).NormalizedSlices(eight).Max().Item<float>());
    }

    private string WriteEightBit()
    {
        string path = Path.Combine(root, "eight.png");
        ImageFile.Write(path, torch.Full([1, 2, 2], 255, DType.UInt8));
        return path;
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float v) => 0;
    }

    [Fact]
    public void GreyCodedMasksReadWithGreyPaletteValues()
    {
        using var scope = new DisposeScope();
        var mask = Tensor.From(new byte[] { 0, 128, 255, 128, 0, 0 }, 1, 2, 3);
        const string palette = """
            {"classes": [{"name": "background", "color": 0}, {"name": "membrane", "color": [128]}, {"name": "nucleus", "color": [255, 255, 255]}]}
            """;
        string ds = Paired("em", [("a.png", torch.Zeros([1, 2, 3], DType.UInt8), mask)], palette);
        var dataset = SegmentationDataset.Open(ds);
        Assert.Equal(new[] { "background", "membrane", "nucleus" }, dataset.Description.ClassNames);
        using (var c = dataset.Load(dataset.Description.Cases[0]))
            Assert.Equal(new long[] { 0, 1, 2, 1, 0, 0 }, c.Label!.Flatten().ToArray<long>());

        ImageFile.Write(Path.Combine(ds, "masks", "a.png"), Tensor.From(new byte[] { 0, 77, 255, 128, 0, 0 }, 1, 2, 3));
        var ex = Assert.Throws<DataFormatException>(() => dataset.Load(dataset.Description.Cases[0]));
        Assert.Contains("grey value 77 at pixel 1,0 is not in palette.json", ex.Message);

        File.WriteAllText(Path.Combine(ds, "palette.json"), """{"classes": [{"name": "background", "color": 0}, {"name": "x", "color": [1, 2]}]}""");
        Assert.Contains("field 'classes[1].color' is a list: expected [r, g, b] or a grey value", Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(ds)).Message);
        File.WriteAllText(Path.Combine(ds, "palette.json"), """{"classes": [{"name": "background", "color": 9}, {"name": "x", "color": [9, 9, 9]}]}""");
        Assert.Contains("used by two classes", Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(ds)).Message);
    }

    [Fact]
    public void AColourMaskWithoutAPaletteIsAnErrorNotItsRedChannel()
    {
        using var scope = new DisposeScope();
        string ds = Paired("nopalette", [("a.png", Zeros(), Colour())]);
        var dataset = SegmentationDataset.Open(ds);
        var ex = Assert.Throws<DataFormatException>(() => dataset.Load(dataset.Description.Cases[0]));
        Assert.Contains(Path.Combine(ds, "masks", "a.png"), ex.Message);
        Assert.Contains("palette.json", ex.Message);
    }

    [Fact]
    public void MaskEncodingDetectsBinaryMasksAndWritesThemBack()
    {
        using var scope = new DisposeScope();
        var stored = Tensor.From(new byte[] { 0, 255, 255, 0 }, 1, 2, 2);
        Assert.Same(MaskEncoding.Binary, MaskEncoding.Detect(stored));
        Assert.Same(MaskEncoding.Binary, MaskEncoding.Detect(Tensor.From(new[] { 0, 65535 }, 1, 1, 2)));
        Assert.Same(MaskEncoding.ClassIds, MaskEncoding.Detect(Tensor.From(new byte[] { 0, 1, 2, 255 }, 1, 2, 2)));
        Assert.Same(MaskEncoding.ClassIds, MaskEncoding.Detect(Tensor.From(new byte[] { 0, 1 }, 1, 1, 2)));
        var labels = MaskEncoding.Binary.ToLabels(stored, "x.png");
        Assert.Equal(new long[] { 0, 1, 1, 0 }, labels.Flatten().ToArray<long>());
        var written = MaskEncoding.PredictionPixels(labels, classes: 2);
        Assert.Equal(new byte[] { 0, 255, 255, 0 }, written.Flatten().ToArray<byte>());
        Assert.Equal(new byte[] { 0, 1, 1, 0 }, MaskEncoding.PredictionPixels(labels, classes: 3).Flatten().ToArray<byte>());
    }
}
