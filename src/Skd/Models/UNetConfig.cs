namespace Skd.Models;

/// <summary>
/// The shape of a <see cref="UNet"/>: input channels, classes, width w (channels of the first stage)
/// and depth d (pooling stages). Encoder stage i (0 = <c>inc</c>, i = <c>down{i}</c>) has w·2^i
/// channels at H/2^i; decoder stage <c>up{i}</c> has w·2^(d−i) channels at H/2^(d−i). The original
/// U-Net is w = 64, d = 4 (Ronneberger et al. 2015).
/// </summary>
public sealed record UNetConfig(int InChannels, int Classes, int Width = 64, int Depth = 4)
{
    /// <summary>Throws an ArgumentException naming the first field out of range.</summary>
    public UNetConfig Validate()
    {
        if (InChannels < 1) throw new ArgumentException($"a U-Net needs at least 1 input channel, got {InChannels}");
        if (Classes < 1) throw new ArgumentException($"a U-Net needs at least 1 class, got {Classes}");
        CheckShape(Width, Depth);
        return this;
    }

    /// <summary>Throws an ArgumentException unless a U-Net of <paramref name="width"/> and <paramref name="depth"/> can be built.</summary>
    public static void CheckShape(int width, int depth)
    {
        if (width < 1) throw new ArgumentException($"the U-Net width must be at least 1, got {width}");
        if (depth < 1) throw new ArgumentException($"the U-Net depth must be at least 1, got {depth}");
        if ((long)width << Math.Min(depth, 32) > int.MaxValue)
            throw new ArgumentException($"a U-Net of width {width} and depth {depth} would have more than {int.MaxValue} channels in its deepest stage");
    }

    /// <summary>Channels of encoder stage <paramref name="stage"/> (0 = inc, d = the bottleneck): w·2^stage.</summary>
    public int Channels(int stage) => Width << stage;

    /// <summary>Height and width must be multiples of 2^d: every pooling stage halves them exactly.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long SizeMultiple => 1L << Depth;

    /// <summary>Throws an ArgumentException unless <paramref name="height"/> and <paramref name="width"/> are positive multiples of 2^d.</summary>
    public void CheckSize(long height, long width) => CheckSize(Depth, height, width);

    /// <summary>Throws an ArgumentException unless <paramref name="height"/> and <paramref name="width"/> are positive multiples of 2^<paramref name="depth"/>.</summary>
    public static void CheckSize(int depth, long height, long width)
    {
        long multiple = 1L << depth;
        if (height < multiple || width < multiple || height % multiple != 0 || width % multiple != 0)
            throw new ArgumentException(
                $"a U-Net of depth {depth} needs a height and width that are multiples of {multiple} (2^{depth}); got {height}×{width} (pad or resize the image)");
    }

    /// <summary>
    /// The weights whose shapes pin this architecture down, by their state-dict keys (see
    /// <see cref="UNet"/>): the first convolution [w, C_in, 3, 3], the first convolution of the
    /// deepest stage [w·2^d, w·2^(d−1), 3, 3] and the head [K, w, 1, 1]. A file's header is compared
    /// with them before a network is built from it: a network that matches them is no larger than
    /// the file's own weights.
    /// </summary>
    public IReadOnlyList<(string Key, long[] Shape)> ArchitectureWeights() =>
    [
        ("inc.double_conv.0.weight", [Channels(0), InChannels, 3, 3]),
        ($"down{Depth}.maxpool_conv.1.double_conv.0.weight", [Channels(Depth), Channels(Depth - 1), 3, 3]),
        ("outc.conv.weight", [Classes, Channels(0), 1, 1]),
    ];
}
