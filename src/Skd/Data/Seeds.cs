namespace Skd.Data;

/// <summary>
/// Seeds derived from a run's seed and an index (an epoch, an item), the same in every process:
/// SplitMix64 of both (Steele, Lea &amp; Flood 2014). <see cref="HashCode"/> cannot serve, as .NET
/// randomises it per process, which would break resuming a run in a new process.
/// </summary>
public static class Seeds
{
    /// <summary>A non-negative 31-bit seed from (<paramref name="seed"/>, <paramref name="index"/>).</summary>
    public static int Derive(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>A generator seeded with <see cref="Derive"/>.</summary>
    public static Random Random(int seed, int index) => new(Derive(seed, index));
}
