using System.Text.Json;
using Skd.Data.Formats;

namespace Skd.Data.Layouts;

/// <summary>
/// <c>images/</c> and <c>masks/</c> holding images with the same file names (XCAD:
/// test/images + test/masks). Binary 0/255 masks by default; with a <c>palette.json</c> beside the
/// folders, masks are colour-coded (M2caiSeg) and each colour maps to a class:
/// <c>{"classes": [{"name": "background", "color": [0, 0, 0]}, {"name": "liver", "color": [255, 0, 0]}, ...]}</c>
/// (class index = position). A <c>dataset.json</c> with <c>"labels": {"name": index}</c> names the classes of
/// index-valued masks.
/// </summary>
internal static class PairedFolderLayout
{
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

        string palettePath = Path.Combine(root, "palette.json");
        if (File.Exists(palettePath))
        {
            var (names, palette) = ReadPalette(palettePath);
            return new DatasetDescription { Root = root, Layout = DatasetLayout.Paired, Cases = cases, ClassNames = names, ChannelNames = ["image"], Palette = palette };
        }
        var labels = DatasetJson.TryReadLabels(root);
        return new DatasetDescription
        {
            Root = root,
            Layout = DatasetLayout.Paired,
            Cases = cases,
            ClassNames = labels ?? ["background", "foreground"],
            ChannelNames = ["image"],
            BinaryMasks = labels is null || labels.Count == 2,
        };
    }

    private static (IReadOnlyList<string> Names, IReadOnlyDictionary<(byte, byte, byte), int> Palette) ReadPalette(string path) => JsonFile.Read(path, root =>
    {
        var names = new List<string>();
        var palette = new Dictionary<(byte, byte, byte), int>();
        foreach (var entry in root.Required("classes", "a list of {\"name\": ..., \"color\": [r, g, b]}").Items())
        {
            string name = entry.Required("name", "the class's name").String();
            var color = entry.Required("color", "[r, g, b]");
            var rgb = color.Items().Select(v => v.Byte()).ToArray();
            if (rgb.Length != 3) throw color.Error("[r, g, b]: three whole numbers from 0 to 255");
            if (!palette.TryAdd((rgb[0], rgb[1], rgb[2]), names.Count))
                throw new DataFormatException($"{path}: colour [{string.Join(", ", rgb)}] is used by two classes");
            names.Add(name);
        }
        if (names.Count < 2) throw new DataFormatException($"{path}: a palette needs at least two classes");
        return ((IReadOnlyList<string>)names, (IReadOnlyDictionary<(byte, byte, byte), int>)palette);
    });
}
