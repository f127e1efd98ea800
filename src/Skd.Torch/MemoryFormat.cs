namespace Skd.Torch;

/// <summary>
/// How a 4-D (N, C, H, W) tensor's elements lie in memory, torch.memory_format: row-major N,C,H,W
/// (<see cref="Contiguous"/>) or with the channels innermost, N,H,W,C (<see cref="ChannelsLast"/>, the
/// layout oneDNN's and cuDNN's fastest convolution kernels read). The shape and the values are the same
/// in both; only the strides differ. Codes of skd_memory_format (native/skd_tables.h).
/// </summary>
[NativeTable("SKD_MEMORY_FORMATS")]
public enum MemoryFormat
{
    Contiguous = 0,
    ChannelsLast = 1,
}

/// <summary>The <c>--memory-format</c> names of <see cref="MemoryFormat"/>.</summary>
public static class MemoryFormats
{
    /// <summary>
    /// The format training and the torch inference engine use when none is named: the faster of the two for a U-Net of
    /// width 16 here (bench/run.sh).
    /// </summary>
    public const MemoryFormat Default = MemoryFormat.ChannelsLast;

    /// <summary>The names, in the order help lists them.</summary>
    public static readonly IReadOnlyList<string> Names = ["channels-last", "contiguous"];

    /// <summary>Parses <c>channels-last</c> or <c>contiguous</c>.</summary>
    public static MemoryFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "channels-last" or "channels_last" => MemoryFormat.ChannelsLast,
        "contiguous" => MemoryFormat.Contiguous,
        _ => throw new ArgumentException($"unknown memory format '{name}': expected channels-last or contiguous"),
    };

    public static string Name(this MemoryFormat format) => format == MemoryFormat.ChannelsLast ? "channels-last" : "contiguous";
}
