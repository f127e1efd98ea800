namespace Skd.Data.Layouts;

/// <summary>
/// <c>images/</c> and <c>masks/</c> holding images with the same file names (XCAD:
/// test/images + test/masks). Binary masks by default (0/255, or any non-zero value, is foreground).
/// With a <c>palette.json</c> beside the folders, each mask value maps to a class:
/// <c>{"classes": [{"name": "background", "color": [0, 0, 0]}, {"name": "liver", "color": [255, 0, 0]}, ...]}</c>
/// (class index = position). A colour is <c>[r, g, b]</c> for colour-coded masks (M2caiSeg), or a grey
/// value, <c>128</c> or <c>[128]</c>, for grey-coded masks (one grey level per class, as EM and pathology
/// sets ship them); a grey value v is the colour (v, v, v), so grey and colour entries may be mixed and RGB
/// files holding grey masks read alike. Values are 0..255 for 8-bit masks, 0..65535 for 16-bit ones.
/// A <c>dataset.json</c> with <c>"labels": {"name": index}</c> names the classes of index-valued masks.
/// </summary>
internal static class PairedFolderLayout
{
    public const string PaletteFile = "palette.json";

    public static DatasetDescription Describe(string root)
    {
        string images = Path.Combine(root, "images"), masks = Path.Combine(root, "masks");
        if (!Directory.Exists(images) || !Directory.Exists(masks))
            throw new DataFormatException($"{root}: the paired layout needs images/ and masks/ folders");
        var imageFiles = Directory.EnumerateFiles(images).Where(ImageFile.IsImage).OrderBy(Path.GetFileName, NaturalOrder.Instance).ToList();
        if (imageFiles.Count == 0) throw new DataFormatException($"{images}: no image files (.png, .jpg, .tif, .bmp, .pgm, ...)");
        var cases = new List<CaseFiles>();
        foreach (var image in imageFiles)
        {
            string mask = Path.Combine(masks, Path.GetFileName(image));
            if (!File.Exists(mask))
            {
                string? alternative = Directory.EnumerateFiles(masks, Path.GetFileNameWithoutExtension(image) + ".*").FirstOrDefault(ImageFile.IsImage);
                mask = alternative ?? throw new DataFormatException($"{image}: no mask for this image (expected {mask})");
            }
            cases.Add(new CaseFiles(Path.GetFileNameWithoutExtension(image), [image], mask, CaseStorage.Image2D));
        }

        string palettePath = Path.Combine(root, PaletteFile);
        if (File.Exists(palettePath))
        {
            var (names, palette) = ReadPalette(palettePath);
            return new DatasetDescription
            {
                Root = root, Layout = DatasetLayout.Paired, Cases = cases, ClassNames = names, ChannelNames = ["image"], Masks = MaskEncoding.Colours(palette),
            };
        }
        var labels = DatasetJson.TryReadLabels(root);
        return new DatasetDescription
        {
            Root = root,
            Layout = DatasetLayout.Paired,
            Cases = cases,
            ClassNames = labels ?? ["background", "foreground"],
            ChannelNames = ["image"],
            Masks = labels is null || labels.Count == 2 ? MaskEncoding.Binary : MaskEncoding.ClassIds,
        };
    }

    internal static (IReadOnlyList<string> Names, IReadOnlyDictionary<(int R, int G, int B), int> Palette) ReadPalette(string path) => JsonFile.Read(path, root =>
    {
        var names = new List<string>();
        var palette = new Dictionary<(int R, int G, int B), int>();
        foreach (var entry in root.Required("classes", "a list of {\"name\": ..., \"color\": [r, g, b] or a grey value}").Items())
        {
            string name = entry.Required("name", "the class's name").String();
            var colour = Colour(entry.Required("color", "[r, g, b] or a grey value (128 or [128])"));
            if (!palette.TryAdd(colour, names.Count))
                throw new DataFormatException($"{path}: colour ({colour.R}, {colour.G}, {colour.B}) is used by two classes ('{names[palette[colour]]}' and '{name}')");
            names.Add(name);
        }
        if (names.Count < 2) throw new DataFormatException($"{path}: a palette needs at least two classes");
        return ((IReadOnlyList<string>)names, (IReadOnlyDictionary<(int, int, int), int>)palette);
    });

    /// <summary>A class's colour: [r, g, b], or a grey value v (a number or [v]) meaning (v, v, v); each 0..65535.</summary>
    private static (int R, int G, int B) Colour(JsonField color)
    {
        const string expected = "[r, g, b] or a grey value (128 or [128]), each a whole number from 0 to 65535";
        var values = (color.Kind == JsonValueKind.Array ? color.Items() : [color])
            .Select(v => v.Kind == JsonValueKind.Number && v.Element.TryGetUInt16(out ushort u) ? u : throw v.Error(expected)).ToArray();
        return values.Length switch
        {
            1 => (values[0], values[0], values[0]),
            3 => (values[0], values[1], values[2]),
            _ => throw color.Error(expected),
        };
    }
}
