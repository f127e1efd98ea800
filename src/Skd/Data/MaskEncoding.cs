namespace Skd.Data;

/// <summary>
/// How the pixel values of a 2-D mask file stand for classes: the one convention the dataset reader
/// (<see cref="SegmentationDataset"/>), <c>skd metrics</c>' label-map reader
/// (<see cref="Evaluation.LabelMapFile"/>) and the prediction writer (<see cref="Inference.PredictionFiles"/>)
/// share. <see cref="ClassIds"/>: each value is its class id. <see cref="Binary"/>: 0 is background,
/// any other value foreground (masks stored 0/255, as XCAD, DCA1 and viewers show them, or 0/1).
/// <see cref="Colours"/>: each colour of a palette is a class (M2caiSeg's colour masks; a grey value v is
/// the colour (v, v, v), so grey-coded masks work the same). Class ids and binary masks are single-channel:
/// a colour mask (channels that differ) read as either is an error, never its first channel.
/// </summary>
public sealed class MaskEncoding
{
    private readonly IReadOnlyDictionary<(int R, int G, int B), int>? palette;

    private MaskEncoding(string name, IReadOnlyDictionary<(int R, int G, int B), int>? palette) => (Name, this.palette) = (name, palette);

    /// <summary>Values are class ids.</summary>
    public static readonly MaskEncoding ClassIds = new("class ids", null);

    /// <summary>0 is background, any non-zero value foreground (class 1).</summary>
    public static readonly MaskEncoding Binary = new("binary", null);

    /// <summary>Each colour (R, G, B) is the class it maps to; a single-channel mask's value v is the colour (v, v, v).</summary>
    public static MaskEncoding Colours(IReadOnlyDictionary<(int R, int G, int B), int> palette) => new("palette", palette);

    /// <summary>What the encoding is called in messages: class ids, binary or palette.</summary>
    public string Name { get; }

    /// <summary>
    /// The encoding of a mask read outside any dataset: binary when its only values are 0 and its pixel
    /// format's full scale (0/255 for 8-bit, 0/65535 for 16-bit; the full scale alone counts too), else class ids.
    /// </summary>
    public static MaskEncoding Detect(Tensor pixels)
    {
        if (ImageFile.FullScale(pixels) is not { } full || pixels.NumElements == 0) return ClassIds;
        using var scope = new DisposeScope();
        bool binary = pixels.Eq(0).LogicalOr(pixels.Eq(full)).All().Item<bool>() && pixels.Eq(full).Any().Item<bool>();
        return binary ? Binary : ClassIds;
    }

    /// <summary>
    /// The label map int64 (H, W) of mask pixels (C, H, W) as <see cref="ImageFile.Read"/> returns them;
    /// <paramref name="path"/> names the file in errors.
    /// </summary>
    public Tensor ToLabels(Tensor pixels, string path)
    {
        using var scope = new DisposeScope();
        if (palette is not null) return scope.MoveToOuter(PaletteLabels(pixels, path));
        if (pixels.Size(0) >= 3)
        {
            var rgb = pixels.Narrow(0, 0, 3);
            if (!rgb.Eq(rgb[0].Unsqueeze(0)).All().Item<bool>())
                throw new DataFormatException($"{path}: a colour mask (its R, G and B differ), but masks here are read as {Name}; colour-coded masks need a palette.json mapping each colour to a class");
        }
        var values = pixels[0].To(DType.Int64);
        return scope.MoveToOuter(this == Binary ? values.Ne(0).To(DType.Int64) : values);
    }

    private Tensor PaletteLabels(Tensor pixels, string path)
    {
        bool grey = pixels.Size(0) < 3;
        var rgb = (grey ? pixels.Narrow(0, 0, 1).Expand(3, pixels.Size(1), pixels.Size(2)) : pixels.Narrow(0, 0, 3)).To(DType.Int64);
        var code = Code(rgb[0], rgb[1], rgb[2]);
        var label = torch.FullLike(code, -1);
        foreach (var ((r, g, b), index) in palette!)
            label = torch.Where(code.Eq(Code(r, g, b)), torch.FullLike(code, index), label);
        var unknown = label.Lt(0);
        if (unknown.Any().Item<bool>())
        {
            long at = unknown.Flatten().To(DType.UInt8).Argmax().Item<long>();
            long c = code.Flatten()[at].Item<long>();
            long width = code.Size(1);
            string value = grey ? $"grey value {c & 0xFFFF}" : $"colour ({c >> 32}, {(c >> 16) & 0xFFFF}, {c & 0xFFFF})";
            throw new DataFormatException($"{path}: {value} at pixel {at % width},{at / width} is not in palette.json");
        }
        return label;
    }

    /// <summary>One int64 per colour; 16 bits per channel, so 16-bit masks cannot alias.</summary>
    private static Tensor Code(Tensor r, Tensor g, Tensor b) => r * 4294967296.0 + g * 65536.0 + b;

    private static long Code(long r, long g, long b) => (r << 32) | (g << 16) | b;

    /// <summary>
    /// Pixels of a predicted label map (H, W) of <paramref name="classes"/> classes, as <c>skd predict</c> and
    /// <c>skd eval --save-predictions</c> write them: a binary map as 0/255 (what an image viewer shows and
    /// <see cref="Detect"/> reads back as binary), more classes as their ids, 8-bit up to 256 classes, 16-bit above.
    /// </summary>
    public static Tensor PredictionPixels(Tensor labels, int classes)
    {
        using var scope = new DisposeScope();
        var pixels = classes == 2 ? (labels.Ne(0).To(DType.UInt8) * 255).To(DType.UInt8)
            : labels.Max().Item<long>() < 256 ? labels.To(DType.UInt8) : labels.To(DType.Int32);
        return scope.MoveToOuter(pixels);
    }
}
