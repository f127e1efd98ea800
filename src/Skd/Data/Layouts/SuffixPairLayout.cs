namespace Skd.Data.Layouts;

/// <summary>
/// Images <c>N.ext</c> beside their masks <c>N_gt.ext</c> (DCA1: <c>N.pgm</c> + <c>N_gt.pgm</c>; the
/// coronary40 sample: PNG). Masks are binary: any non-zero pixel is vessel.
/// </summary>
internal static class SuffixPairLayout
{
    public static DatasetDescription Describe(string root)
    {
        var files = Directory.EnumerateFiles(root).Where(ImageFile.IsImage).ToList();
        var masks = files.Where(f => Path.GetFileNameWithoutExtension(f).EndsWith("_gt", StringComparison.Ordinal)).ToHashSet();
        var images = files.Where(f => !masks.Contains(f)).OrderBy(Path.GetFileName, NaturalOrder.Instance).ToList();
        if (images.Count == 0) throw new DataFormatException($"{root}: no images beside the *_gt masks");
        var cases = new List<CaseFiles>();
        foreach (var image in images)
        {
            string id = Path.GetFileNameWithoutExtension(image);
            string? mask = masks.FirstOrDefault(m => Path.GetFileNameWithoutExtension(m) == id + "_gt");
            if (mask is null) throw new DataFormatException($"{image}: no mask for this image (expected {id}_gt{Path.GetExtension(image)})");
            cases.Add(new CaseFiles(id, [image], mask, CaseStorage.Image2D));
        }
        return new DatasetDescription
        {
            Root = root, Layout = DatasetLayout.SuffixPairs, Cases = cases,
            ClassNames = ["background", "vessel"], ChannelNames = ["image"], Masks = MaskEncoding.Binary,
        };
    }
}
