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

    private static (IReadOnlyList<string> Names, IReadOnlyDictionary<(byte, byte, byte), int> Palette) ReadPalette(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var names = new List<string>();
            var palette = new Dictionary<(byte, byte, byte), int>();
            foreach (var entry in doc.RootElement.GetProperty("classes").EnumerateArray())
            {
                var rgb = entry.GetProperty("color").EnumerateArray().Select(v => v.GetByte()).ToArray();
                if (rgb.Length != 3) throw new DataFormatException($"{path}: class '{entry.GetProperty("name").GetString()}' needs an [r, g, b] color");
                if (!palette.TryAdd((rgb[0], rgb[1], rgb[2]), names.Count))
                    throw new DataFormatException($"{path}: colour [{string.Join(", ", rgb)}] is used by two classes");
                names.Add(entry.GetProperty("name").GetString() ?? $"class {names.Count}");
            }
            if (names.Count < 2) throw new DataFormatException($"{path}: a palette needs at least two classes");
            return (names, palette);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DataFormatException($"{path}: not a valid palette file ({e.Message}); expected {{\"classes\": [{{\"name\": ..., \"color\": [r, g, b]}}, ...]}}");
        }
    }
}
