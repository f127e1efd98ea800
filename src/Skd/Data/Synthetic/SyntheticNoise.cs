namespace Skd.Data.Synthetic;

/// <summary>
/// Seeding, noise fields and JSON options shared by the generators. Everything is plain managed arithmetic on
/// arrays driven by <see cref="Random"/>, so a seed gives the same bytes on every run.
/// </summary>
internal static class SyntheticNoise
{
    /// <summary>For the dataset.json files (properties in declaration order; null ones left out).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// The generator of item <paramref name="index"/> of a run seeded with <paramref name="seed"/>
    /// (SplitMix64 of both): items are independent, so the first N items do not depend on the count.
    /// </summary>
    public static Random ItemRandom(int seed, int index) => Seeds.Random(seed, index);

    /// <summary>
    /// Parallel options for generating items of <paramref name="pixels"/> pixels or voxels each:
    /// as many at once as there are cores and as half the memory available holds (a painter keeps
    /// about 64 bytes per pixel of fields alive), so large items are drawn fewer at a time.
    /// </summary>
    public static ParallelOptions Workers(long pixels)
    {
        long perItem = Math.Max(1, pixels * BytesPerPixel);
        long fit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / perItem;
        return new ParallelOptions { MaxDegreeOfParallelism = (int)Math.Clamp(fit, 1, Environment.ProcessorCount) };
    }

    private const long BytesPerPixel = 64;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> unless <paramref name="value"/> lies in
    /// [<paramref name="min"/>, <paramref name="max"/>]: the generators' option validation.
    /// </summary>
    public static void Require(string what, string option, int value, int min, int max)
    {
        if (value < min || value > max) throw new OptionException(o => $"{what} ({o(option)}) must be {min} to {max}, got {value}");
    }

    public static double Uniform(this Random random, double low, double high) => low + (high - low) * random.NextDouble();

    /// <summary>A sample of N(0, 1) (Box–Muller).</summary>
    public static double Gaussian(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Correlated noise of zero mean and unit standard deviation on a (depth, height, width) grid:
    /// white noise smoothed by a Gaussian of the given widths (in voxels), then rescaled. The white
    /// noise is uniform (cheaper than Gaussian); the blur makes the sum nearly Gaussian anyway.
    /// </summary>
    public static float[] Smooth(Random random, int depth, int height, int width, double sigmaZ, double sigmaXY)
    {
        var field = new float[depth * height * width];
        for (int i = 0; i < field.Length; i++) field[i] = random.NextSingle() - 0.5f;
        Blur(field, depth, height, width, sigmaZ, sigmaXY);
        double sum = 0, squares = 0;
        foreach (float v in field) { sum += v; squares += (double)v * v; }
        double mean = sum / field.Length, std = Math.Sqrt(Math.Max(squares / field.Length - mean * mean, 1e-12));
        for (int i = 0; i < field.Length; i++) field[i] = (float)((field[i] - mean) / std);
        return field;
    }

    /// <summary>In-place separable Gaussian blur of a (depth, height, width) array; edges replicated.</summary>
    public static void Blur(float[] data, int depth, int height, int width, double sigmaZ, double sigmaXY)
    {
        BlurAxis(data, depth, height * width, 1, sigmaZ);     // along z: rows of H*W, one block
        BlurAxis(data, height, width, depth, sigmaXY);        // along y: rows of W, a block per slice
        BlurAxis(data, width, 1, depth * height, sigmaXY);    // along x: single elements, a block per row
    }

    /// <summary>
    /// Blurs every line of <paramref name="length"/> elements spaced <paramref name="stride"/> apart
    /// (<paramref name="blocks"/> blocks of length × stride), edges replicated. Each block is copied
    /// with its edge rows repeated, then whole rows of stride elements are weighted and summed, so
    /// memory is read contiguously whatever the axis.
    /// </summary>
    private static void BlurAxis(float[] data, int length, int stride, int blocks, double sigma)
    {
        if (sigma <= 0 || length < 2) return;
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new float[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += Math.Exp(-0.5 * k * k / (sigma * sigma));
        for (int k = -radius; k <= radius; k++) kernel[k + radius] = (float)(Math.Exp(-0.5 * k * k / (sigma * sigma)) / total);

        var padded = new float[(length + 2 * radius) * stride];
        for (int block = 0; block < blocks; block++)
        {
            var target = data.AsSpan(block * length * stride, length * stride);
            for (int i = -radius; i < length + radius; i++)
                target.Slice(Math.Clamp(i, 0, length - 1) * stride, stride).CopyTo(padded.AsSpan((i + radius) * stride));
            if (stride == 1)
                for (int i = 0; i < length; i++)
                {
                    float acc = 0;
                    for (int k = 0; k < kernel.Length; k++) acc += kernel[k] * padded[i + k];
                    target[i] = acc;
                }
            else
            {
                target.Clear();
                for (int i = 0; i < length; i++)
                {
                    var output = target.Slice(i * stride, stride);
                    for (int k = 0; k < kernel.Length; k++)
                    {
                        float weight = kernel[k];
                        var input = padded.AsSpan((i + k) * stride, stride);
                        for (int e = 0; e < stride; e++) output[e] += weight * input[e];
                    }
                }
            }
        }
    }
}
