namespace Skd.Cli;

/// <summary>Options every verb accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "Intra-op threads for libtorch's kernels (default: OMP_NUM_THREADS when set, else every core; at most the number of cores).",
        Recursive = true,
    };

    public static readonly Option<long?> MaxPixels = new("--max-pixels")
    {
        Description = $"The largest image or volume a file may hold, in pixels or voxels (default {ReadLimits.DefaultMaxPixels}, 2^28, " +
                      $"or the environment variable {ReadLimits.EnvironmentVariable}); larger files are refused before they are decoded.",
        Recursive = true,
    };

    /// <summary>Applies the global options before a verb runs.</summary>
    public static void Apply(ParseResult parse)
    {
        if (parse.GetValue(MaxPixels) is { } max) ReadLimits.MaxPixels = max;
        // Debian's libtorch starts with one OpenMP thread on some machines; PyTorch users expect
        // every core, so that is the default unless the user or OMP_NUM_THREADS says otherwise.
        // More threads than cores only make OpenMP's threads wait on each other (1000 hang a run).
        int cores = Environment.ProcessorCount;
        if (parse.GetValue(Threads) is { } n) torch.NumThreads = AtMostCores(n, "--threads", cores);
        else if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is not { } omp) torch.NumThreads = cores;
        else if (int.TryParse(omp, out int fromEnvironment) && fromEnvironment > cores) torch.NumThreads = AtMostCores(fromEnvironment, "OMP_NUM_THREADS", cores);
    }

    private static int AtMostCores(int threads, string source, int cores)
    {
        if (threads < 1) throw new ArgumentException($"{source} must be at least 1, got {threads}");
        if (threads <= cores) return threads;
        Console.Error.WriteLine($"skd: warning: {source} {threads} is more than the {cores} core(s) of this machine; using {cores}");
        return cores;
    }
}
