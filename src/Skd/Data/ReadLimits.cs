namespace Skd.Data;

/// <summary>
/// The one size guard every reader goes through: an image, volume or array may hold at most
/// <see cref="MaxPixels"/> pixels (or voxels: the product of its shape, an image's colour channels
/// aside). Readers check the size a file declares in its header before they allocate or
/// decompress anything, and read no more than that size, so a small file that claims, or inflates
/// to, gigabytes fails with a clear error instead of exhausting memory. The limit is
/// <see cref="DefaultMaxPixels"/> (2^28: 16384², or 512×512×1024 voxels) unless the environment
/// variable <see cref="EnvironmentVariable"/> or the command line's <c>--max-pixels</c> raises it.
/// </summary>
public static class ReadLimits
{
    public const string EnvironmentVariable = "SKD_MAX_PIXELS";
    public const long DefaultMaxPixels = 1L << 28;

    private static readonly Lazy<long> FromEnvironment = new(() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text ? Parse(text, EnvironmentVariable) : DefaultMaxPixels);
    private static long? processWide;
    private static readonly AsyncLocal<long?> Scoped = new();

    /// <summary>
    /// The limit in force: one set by <see cref="Override"/> on this flow of execution, else the
    /// process-wide one (set by the command line), else the environment variable's, else the default.
    /// </summary>
    public static long MaxPixels
    {
        get => Scoped.Value ?? processWide ?? FromEnvironment.Value;
        set => processWide = Positive(value, "the pixel limit");
    }

    /// <summary>Sets the limit for the current flow of execution (and the tasks it starts) until disposed.</summary>
    public static IDisposable Override(long maxPixels)
    {
        var previous = Scoped.Value;
        Scoped.Value = Positive(maxPixels, "the pixel limit");
        return new Restore(previous);
    }

    /// <summary>The largest limit accepted: far above any memory, low enough that byte counts never overflow.</summary>
    public const long HighestMaxPixels = 1L << 48;

    /// <summary>
    /// Throws a <see cref="DataFormatException"/> naming <paramref name="path"/>, the shape and the
    /// limit when an array of <paramref name="shape"/>, with <paramref name="before"/> elements
    /// already read from the same file, holds more than <see cref="MaxPixels"/> elements.
    /// </summary>
    /// <remarks><paramref name="what"/> is what the shape belongs to, as the message says it: "the header declares a volume".</remarks>
    public static void Check(string path, string what, IReadOnlyList<long> shape, long before = 0)
    {
        double pixels = shape.Aggregate(1.0, (product, d) => product * d);
        long max = MaxPixels;
        if (pixels + before > max)
            throw OptionNames.Naming(m => new DataFormatException(m), o =>
                $"{path}: {what} of {string.Join("×", shape)} = {Count(pixels)} pixels, " +
                (before > 0 ? $"which with the {Count(before)} read before it from the same file is " : "") +
                $"more than the limit of {Count(max)} (raise it with {o("max_pixels")} N or the environment variable {EnvironmentVariable})");
    }

    private static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A limit as the environment variable gives it: a whole number of at least 1.</summary>
    private static long Parse(string text, string source) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            ? Positive(n, source)
            : throw new ArgumentException($"{source}: expected a whole number of pixels from 1 to {HighestMaxPixels} (2^48), got '{text}'");

    private static long Positive(long value, string what) => value is >= 1 and <= HighestMaxPixels
        ? value
        : throw new ArgumentException($"{what} must be a whole number from 1 to {HighestMaxPixels} (2^48), got {value}");

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }
}
