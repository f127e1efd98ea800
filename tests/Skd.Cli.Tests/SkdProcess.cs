using System.Diagnostics;

namespace Skd.Cli.Tests;

/// <summary>Runs the built skd command (skd.dll beside the tests) as a user would, capturing its output.</summary>
internal static class SkdProcess
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args) => RunWith(NoEnvironment, args);

    /// <summary>Runs skd with <paramref name="environment"/> over the usual variables (null removes one).</summary>
    public static (int ExitCode, string StdOut, string StdErr) RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Wait(Start(environment, args), args);

    /// <summary>
    /// Runs skd on a disk that takes no more bytes: the file size limit (RLIMIT_FSIZE, <c>ulimit -f 0</c>)
    /// makes every write of data fail as a full disk does (EFBIG instead of ENOSPC; SIGXFSZ ignored so
    /// that the write returns the error), for any user, without mounting anything.
    /// </summary>
    public static (int ExitCode, string StdOut, string StdErr) RunOnFullDisk(params string[] args)
    {
        var start = Info("bash", NoEnvironment);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("trap '' XFSZ; ulimit -f 0; exec dotnet \"$@\"");
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skd.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // The runtime's W^X double mapping sizes a memory file, which the file size limit forbids.
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        return Wait(Process.Start(start)!, args);
    }

    /// <summary>Starts skd without waiting (its output redirected), for tests that stop it midway.</summary>
    public static Process Start(params string[] args) => Start(NoEnvironment, args);

    private static Process Start(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = Info("dotnet", environment);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skd.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static (int ExitCode, string StdOut, string StdErr) Wait(Process started, string[] args)
    {
        using var process = started;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skd {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static ProcessStartInfo Info(string program, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return start;
    }
}
