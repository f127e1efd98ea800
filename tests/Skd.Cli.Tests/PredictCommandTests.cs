using Skd.Data.Formats;
using Skd.Torch;

namespace Skd.Cli.Tests;

/// <summary><c>skd predict</c>: label maps of the input's size and geometry, overlays, both inference modes.</summary>
[Collection(SerialCollection.Name)]
public sealed class PredictCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-predict-cli-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Theory]
    [InlineData("resize")]
    [InlineData("sliding-window")]
    public void ImagesGetPngLabelMapsOfTheirSizeAndOverlays(string mode)
    {
        string input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        torch.ManualSeed(8);
        using (var scope = new DisposeScope())
        {
            ImageFile.Write(Path.Combine(input, "wide.png"), torch.RandInt(0, 256, [1, 20, 28], DType.UInt8));
            ImageFile.Write(Path.Combine(input, "small.png"), torch.RandInt(0, 256, [1, 9, 13], DType.UInt8));   // smaller than a window
        }
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string output = Path.Combine(root, "out");
        var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", output, "--overlay", "--mode", mode, "--batch", "3");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("wrote 2 label map(s) and overlays", stdout);
        using var s = new DisposeScope();
        foreach (var (name, h, w) in new[] { ("wide", 20L, 28L), ("small", 9L, 13L) })
        {
            var labels = ImageFile.Read(Path.Combine(output, name + ".png"));
            Assert.Equal(new[] { 1L, h, w }, labels.Shape);
            Assert.True(labels.Lt(3).All().Item<bool>());
            var overlay = ImageFile.Read(Path.Combine(output, name + "_overlay.png"));
            Assert.Equal(new[] { 3L, h, w }, overlay.Shape);
        }
    }

    [Fact]
    public void VolumesGetNiftiLabelMapsWithTheInputsGeometry()
    {
        string input = Path.Combine(root, "ct.nii.gz");
        double[,] affine = { { -0.7, 0, 0, 90 }, { 0, 0.75, 0, -120 }, { 0, 0, 2.5, 30 }, { 0, 0, 0, 1 } };
        torch.ManualSeed(9);
        using (var scope = new DisposeScope())
            NiftiFile.Write(input, torch.Randn(4, 22, 18) * 100, spacing: [0.7, 0.75, 2.5], affine: affine);
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2);
        string output = Path.Combine(root, "out");
        var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", output, "--overlay");
        Assert.True(code == 0, stdout + stderr);
        using var source = NiftiFile.Read(input);
        using var labels = NiftiFile.Read(Path.Combine(output, "ct.nii.gz"));
        Assert.Equal(new long[] { 4, 22, 18 }, labels.Data.Shape);
        Assert.Equal(source.Spacing, labels.Spacing);
        Assert.Equal(source.Affine, labels.Affine);
        Assert.False(labels.Data.DType.IsFloatingPoint());
        Assert.Equal(4, Directory.GetFiles(Path.Combine(output, "ct_overlay"), "*.png").Length);
    }

    [Fact]
    public void AMissingCheckpointIsAClearError()
    {
        string image = Path.Combine(root, "a.png");
        using (var scope = new DisposeScope()) ImageFile.Write(image, torch.Zeros([1, 8, 8], DType.UInt8));
        var (code, _, stderr) = SkdProcess.Run("predict", "--checkpoint", Path.Combine(root, "missing.safetensors"), "--input", image, "--out", Path.Combine(root, "out"));
        Assert.Equal(1, code);
        Assert.Contains("skd predict: error:", stderr);
        Assert.Contains("missing.safetensors: no such model file or run folder", stderr);
    }
}
