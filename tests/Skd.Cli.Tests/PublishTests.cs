using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Skd.Cli.Tests;

/// <summary>
/// <c>dotnet publish -r RID</c> of the CLI (the build's own output, --no-build, a few seconds) carries ONNX Runtime's native
/// library for that one platform, beside skd.dll: not the Windows DLLs that Microsoft.ML.OnnxRuntime's build props add to every
/// build, nor a runtimes/ folder of every platform (src/Skd/Skd.csproj).
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("skd-publish-").FullName;

    public void Dispose() => Directory.Delete(output, true);

    [Fact]
    public async Task ThePublishedCliCarriesOnePlatformsOnnxRuntime()
    {
        // The build is for this machine's runtime (Directory.Build.props): linux-x64 here and in CI.
        string rid = RuntimeInformation.RuntimeIdentifier;
        string project = Path.Combine(RepoRoot(), "src", "Skd.Cli", "Skd.Cli.csproj");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", project, "-c", configuration, "-r", rid, "--no-build", "-o", output, "-nologo" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stdout + stderr);

        Assert.True(File.Exists(Path.Combine(output, "skd.dll")));
        string library = OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : OperatingSystem.IsWindows() ? "onnxruntime.dll" : "libonnxruntime.so";
        var natives = Directory.GetFiles(output, "*onnxruntime*", SearchOption.AllDirectories).Select(Path.GetFileName)
            .Where(name => name != "Microsoft.ML.OnnxRuntime.dll").Order().ToList();
        Assert.Contains(library, natives);
        Assert.All(natives, name => Assert.True(name!.StartsWith(Path.GetFileNameWithoutExtension(library)) && name.EndsWith(Path.GetExtension(library)),
            $"{name}: another platform's ONNX Runtime in the published CLI ({string.Join(", ", natives)})"));
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), "a runtimes/ folder of every platform was published");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Skd.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Skd.slnx above {AppContext.BaseDirectory}");
    }
}
