namespace Skd.Reporting;

/// <summary>
/// The font every chart is written in: DejaVu Sans (Debian's fonts-dejavu-core, which
/// scripts/install-deps.sh installs), loaded from its files rather than looked up by name, so that
/// charts come out the same whatever other fonts a machine has. SkiaSharp's Linux build without
/// dependencies has no fontconfig: without these files, text would silently be left out.
/// </summary>
internal static class ChartFont
{
    public const string Family = "DejaVu Sans";
    private const string Folder = "/usr/share/fonts/truetype/dejavu";

    private static readonly Lazy<string> Registered = new(() =>
    {
        foreach (var (file, bold) in new[] { ("DejaVuSans.ttf", false), ("DejaVuSans-Bold.ttf", true) })
        {
            string path = Path.Combine(Folder, file);
            if (!File.Exists(path))
                throw new InvalidOperationException($"charts need the {Family} font, and {path} is missing: install Debian's fonts-dejavu-core (bash scripts/install-deps.sh does)");
            ScottPlot.Fonts.AddFontFile(Family, path, bold: bold, italic: false);
        }
        return Family;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The font family name, registered with ScottPlot on first use; throws naming the missing file when the font is not installed.</summary>
    public static string Name => Registered.Value;
}
