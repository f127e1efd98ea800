namespace Skd.Models;

/// <summary>
/// One part of a network (a stage, a head) for one image: its output shape (C, H, W), its
/// parameters and its multiply-accumulates. <see cref="TrainingOnly"/> marks parts used in training
/// and dropped at deployment (a method's auxiliary heads, reconstruction modules, temperature module).
/// </summary>
public sealed record ProfileRow(string Name, IReadOnlyList<long> OutputShape, long Parameters, long Macs, bool TrainingOnly = false);

/// <summary>
/// Parameters and multiply-accumulates (MACs) of a network for one image, part by part, computed
/// from the architecture (no tensor is allocated or run).
/// <para>
/// Convention (fvcore's, which thop and ptflops share for ordinary convolutions): one MAC per
/// multiply-accumulate of a convolution weight. Conv2d: H_out·W_out·C_out·(C_in/groups)·k², every
/// kernel tap counted, zero padding included. ConvTranspose2d: per input position,
/// H_in·W_in·C_in·(C_out/groups)·k². Bias additions, batch norm (foldable into the preceding
/// convolution at inference), activations, pooling and concatenation count 0. Parameters count every
/// trainable element (batch norm's γ and β included, its running statistics not), as
/// <c>sum(p.numel() for p in net.parameters())</c>.
/// </para>
/// </summary>
public sealed record ModelProfile(IReadOnlyList<ProfileRow> Rows)
{
    /// <summary>Parameters of the deployed network (the rows not marked training-only).</summary>
    public long Parameters => Rows.Where(r => !r.TrainingOnly).Sum(r => r.Parameters);

    /// <summary>MACs of the deployed network for one image.</summary>
    public long Macs => Rows.Where(r => !r.TrainingOnly).Sum(r => r.Macs);

    /// <summary>Parameters trained: every row, training-only parts included.</summary>
    public long TrainingParameters => Rows.Sum(r => r.Parameters);

    /// <summary>MACs of one image's forward pass in training: every row.</summary>
    public long TrainingMacs => Rows.Sum(r => r.Macs);

    /// <summary>MACs of a k×k Conv2d producing an outHeight×outWidth map.</summary>
    public static long Conv2dMacs(long inChannels, long outChannels, long kernelSize, long outHeight, long outWidth, long groups = 1) =>
        checked(outHeight * outWidth * outChannels * (inChannels / groups) * kernelSize * kernelSize);

    /// <summary>MACs of a k×k ConvTranspose2d reading an inHeight×inWidth map (each input position scatters C_out/groups·k² products).</summary>
    public static long ConvTranspose2dMacs(long inChannels, long outChannels, long kernelSize, long inHeight, long inWidth, long groups = 1) =>
        checked(inHeight * inWidth * inChannels * (outChannels / groups) * kernelSize * kernelSize);

    /// <summary>Parameters of a k×k Conv2d or ConvTranspose2d: C_in·C_out/groups·k², plus C_out with a bias.</summary>
    public static long ConvParameters(long inChannels, long outChannels, long kernelSize, bool bias, long groups = 1) =>
        checked(inChannels * (outChannels / groups) * kernelSize * kernelSize + (bias ? outChannels : 0));

    /// <summary>Parameters of an affine BatchNorm2d: γ and β per channel.</summary>
    public static long BatchNormParameters(long channels) => 2 * channels;

    /// <summary>A count with a unit, for tables: 950, 37.50 K, 31.04 M, 41.91 G, 1.20 T.</summary>
    public static string Human(long n)
    {
        string[] units = ["", " K", " M", " G", " T"];
        int unit = 0;
        double value = n;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1) (value, unit) = (value / 1000, unit + 1);
        return unit == 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + units[unit];
    }
}
