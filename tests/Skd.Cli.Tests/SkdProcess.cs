using System.Diagnostics;

namespace Skd.Cli.Tests;

/// <summary>Runs the built skd command (skd.dll beside the tests) as a user would, capturing its output.</summary>
internal static class SkdProcess
{
    public static (int ExitCode, string StdOut, string StdErr) Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs skd with these environment variables set (over the test's own).</summary>
    public static (int ExitCode, string StdOut, string StdErr) RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skd {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts skd without waiting (its output redirected), for tests that stop it midway.</summary>
    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static Process Start(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skd.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }
}
