using System.CommandLine;
using Skd.Torch;

namespace Skd.Cli;

/// <summary>Options every verb accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "Intra-op threads for libtorch's kernels (default: libtorch's choice, usually the core count).",
        Recursive = true,
    };

    /// <summary>Applies the global options before a verb runs.</summary>
    public static void Apply(ParseResult parse)
    {
        if (parse.GetValue(Threads) is { } n) torch.NumThreads = n;
    }
}
