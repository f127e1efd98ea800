namespace Skd.Cli.Tests;

/// <summary><c>skd predict</c>: label maps of the input's size and geometry, overlays, probabilities, mirroring, post-processing, both inference modes.</summary>
[Collection(SerialCollection.Name)]
public sealed class PredictCommandTests() : TempFolder("skd-predict-cli-")
{
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

    [Theory]
    [InlineData("resize")]
    [InlineData("sliding-window")]
    public void MirroringProbabilitiesAndTheLargestComponentOnImages(string mode)
    {
        string input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        torch.ManualSeed(10);
        using (var scope = new DisposeScope()) ImageFile.Write(Path.Combine(input, "scan.png"), torch.RandInt(0, 256, [1, 20, 28], DType.UInt8));
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string plainOut = Path.Combine(root, "plain"), ttaOut = Path.Combine(root, "tta");
        var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", plainOut, "--mode", mode, "--save-probabilities");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("wrote 1 label map(s) and probability maps", stdout);
        (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", ttaOut, "--mode", mode, "--save-probabilities", "--tta", "--keep-largest");
        Assert.True(code == 0, stdout + stderr);

        using var s = new DisposeScope();
        var plain = NpyFile.ReadArchive(Path.Combine(plainOut, "scan_probabilities.npz"))["probabilities"];
        var mirrored = NpyFile.ReadArchive(Path.Combine(ttaOut, "scan_probabilities.npz"))["probabilities"];
        Assert.Equal(new long[] { 3, 20, 28 }, mirrored.Shape);
        Assert.Equal(DType.Float32, mirrored.DType);
        Assert.True((mirrored.Sum(0) - 1).Abs().Max().Item() < 1e-5);
        Assert.True((mirrored - plain).Abs().Max().Item() > 1e-4);      // --tta changed the probabilities
        // The label map is the argmax of the saved probabilities, each class filtered to its largest component.
        var expected = LargestComponent.Keep(mirrored.Argmax(0).Unsqueeze(0), [1, 2]);
        var labels = ImageFile.Read(Path.Combine(ttaOut, "scan.png")).Long();
        Assert.True(labels.Eq(expected).All().Item<bool>());
        Assert.True(ImageFile.Read(Path.Combine(plainOut, "scan.png")).Long().Eq(plain.Argmax(0).Unsqueeze(0)).All().Item<bool>());
    }

    [Fact]
    public void VolumesGetA4DProbabilityNiftiWithTheInputsGeometry()
    {
        string input = Path.Combine(root, "ct.nii.gz");
        double[,] affine = { { -0.7, 0, 0, 90 }, { 0, 0.75, 0, -120 }, { 0, 0, 2.5, 30 }, { 0, 0, 0, 1 } };
        torch.ManualSeed(9);
        using (var scope = new DisposeScope())
            NiftiFile.Write(input, torch.Randn(4, 22, 18) * 100, spacing: [0.7, 0.75, 2.5], affine: affine);
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string output = Path.Combine(root, "out");
        var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", output, "--save-probabilities", "--tta", "--keep-largest", "2");
        Assert.True(code == 0, stdout + stderr);
        using var source = NiftiFile.Read(input);
        using var probabilities = NiftiFile.Read(Path.Combine(output, "ct_probabilities.nii.gz"));
        using var labels = NiftiFile.Read(Path.Combine(output, "ct.nii.gz"));
        Assert.Equal(new long[] { 3, 4, 22, 18 }, probabilities.Data.Shape);
        Assert.Equal(source.Spacing, probabilities.Spacing);
        Assert.Equal(source.Affine, probabilities.Affine);
        using var s = new DisposeScope();
        var expected = LargestComponent.Keep(probabilities.Data.Argmax(0), [2]);
        Assert.True(labels.Data.Long().Eq(expected).All().Item<bool>());
    }

    [Fact]
    public void KeepLargestOfAClassTheModelLacksOrAProbabilityFileCollisionIsAClearError()
    {
        string input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        using (var scope = new DisposeScope())
        {
            NiftiFile.Write(Path.Combine(input, "c.nii.gz"), torch.Zeros([2, 16, 16]), spacing: [1, 1, 1]);
            NiftiFile.Write(Path.Combine(input, "c_probabilities.nii.gz"), torch.Zeros([2, 16, 16]), spacing: [1, 1, 1]);
        }
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string output = Path.Combine(root, "out");
        var (code, _, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", Path.Combine(input, "c.nii.gz"), "--out", output, "--keep-largest", "1,5");
        Assert.Equal(1, code);
        Assert.Contains("keep-largest: class 5 is not a foreground class of", stderr);
        (code, _, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", Path.Combine(input, "c.nii.gz"), "--out", output, "--keep-largest", "one");
        Assert.Equal(1, code);
        Assert.Contains("--keep-largest takes class ids separated by commas (e.g. 1,3), got 'one'", stderr);
        (code, _, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", output, "--save-probabilities");
        Assert.Equal(1, code);
        Assert.Contains("would both be written as", stderr);
        Assert.False(Directory.Exists(output));
    }
}
