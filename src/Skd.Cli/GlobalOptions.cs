using System.CommandLine;
using Skd.Torch;

namespace Skd.Cli;

/// <summary>Options every verb accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "Intra-op threads for libtorch's kernels (default: OMP_NUM_THREADS when set, else every core).",
        Recursive = true,
    };

    /// <summary>Applies the global options before a verb runs.</summary>
    public static void Apply(ParseResult parse)
    {
        // Debian's libtorch starts with one OpenMP thread on some machines; PyTorch users expect
        // every core, so that is the default unless the user or OMP_NUM_THREADS says otherwise.
        if (parse.GetValue(Threads) is { } n) torch.NumThreads = n;
        else if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) torch.NumThreads = Environment.ProcessorCount;
    }
}
