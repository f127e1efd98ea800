namespace Skd.Tests.Export;

/// <summary>
/// The build carries ONNX Runtime's native library for this machine's runtime alone: not the Windows DLLs
/// the package's build props add to every build, nor a runtimes/ folder of seven platforms (Skd.csproj).
/// </summary>
public class OnnxRuntimePackagingTests
{
    [Fact]
    public void OnlyThisPlatformsOnnxRuntimeIsInTheOutput()
    {
        string output = AppContext.BaseDirectory;
        Assert.Empty(Directory.GetFiles(output, "onnxruntime*.dll"));
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), "a runtimes/ folder of every platform was copied");
        string library = OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        Assert.True(File.Exists(Path.Combine(output, library)), $"{library} is missing from {output}");
    }
}
