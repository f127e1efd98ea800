namespace Skd.Cli.Tests;

/// <summary>
/// <c>skd export</c> and <c>--engine</c>: an exported file predicts and scores as the model it came from,
/// whether it is given as the .onnx file or the .safetensors model is exported in memory.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ExportCommandTests() : TempFolder("skd-export-cli-")
{
    private static void Ok((int Code, string StdOut, string StdErr) result) => Assert.True(result.Code == 0, result.StdOut + result.StdErr);

    [Fact]
    public void TheExportedFilePredictsTheLabelMapsOfTheTorchEngine()
    {
        string input = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
        torch.ManualSeed(8);
        using (var scope = new DisposeScope())
        {
            ImageFile.Write(Path.Combine(input, "wide.png"), torch.RandInt(0, 256, [1, 21, 29], DType.UInt8));
            ImageFile.Write(Path.Combine(input, "small.png"), torch.RandInt(0, 256, [1, 9, 13], DType.UInt8));
        }
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string onnx = Path.Combine(root, "model.onnx");
        var (code, stdout, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", onnx);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("U-Net width 4, depth 2, opset 17, batch norm folded", stdout);
        Assert.Empty(Directory.GetFiles(root, ".*"));   // no temporary file left beside it

        Ok(SkdProcess.Run("predict", "--checkpoint", model, "--input", input, "--out", Path.Combine(root, "torch"), "--engine", "torch"));
        Ok(SkdProcess.Run("predict", "--checkpoint", onnx, "--input", input, "--out", Path.Combine(root, "file"), "--mode", "resize"));
        Ok(SkdProcess.Run("--threads", "1", "predict", "--checkpoint", model, "--input", input, "--out", Path.Combine(root, "memory"), "--engine", "onnx"));
        using var s = new DisposeScope();
        foreach (var name in new[] { "wide.png", "small.png" })
        {
            var expected = ImageFile.Read(Path.Combine(root, "torch", name));
            foreach (var engine in new[] { "file", "memory" })
                Assert.True(ImageFile.Read(Path.Combine(root, engine, name)).Eq(expected).All().Item<bool>(), $"{engine}/{name}");
        }
    }

    [Fact]
    public void EvalScoresTheSameInBothEngines()
    {
        string data = Path.Combine(root, "data");
        Ok(SkdProcess.Run("synth", "vessels", "--out", data, "--count", "4", "--size", "32"));
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2, size: 32);
        string onnx = Path.Combine(root, "model.onnx");
        Ok(SkdProcess.Run("export", "--checkpoint", model, "--onnx", onnx, "--no-fold-bn"));
        Ok(SkdProcess.Run("eval", "--checkpoint", model, "--data", data, "--split", "all", "--json", Path.Combine(root, "torch.json"), "--engine", "torch"));
        Ok(SkdProcess.Run("eval", "--checkpoint", onnx, "--data", data, "--split", "all", "--json", Path.Combine(root, "onnx.json")));
        string Cases(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(root, file))).RootElement.GetProperty("cases").GetRawText();
        Assert.Equal(Cases("torch.json"), Cases("onnx.json"));
    }

    [Fact]
    public void BadRequestsAreOneLineErrors()
    {
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2);
        var (code, _, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", Path.Combine(root, "model.bin"));
        Assert.Equal(1, code);
        Assert.Contains("the file name must end in .onnx", stderr);
        (code, _, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", Path.Combine(root, "m.onnx"), "--opset", "9");
        Assert.Equal(1, code);
        Assert.Contains("the ONNX opset must lie in 13..22, got 9", stderr);

        string onnx = Path.Combine(root, "model.onnx");
        Ok(SkdProcess.Run("export", "--checkpoint", model, "--onnx", onnx));
        string image = Path.Combine(root, "image.png");
        using (var scope = new DisposeScope()) ImageFile.Write(image, torch.Zeros([1, 8, 8], DType.UInt8));
        (code, _, stderr) = SkdProcess.Run("predict", "--checkpoint", onnx, "--input", image, "--out", Path.Combine(root, "out"), "--engine", "torch");
        Assert.Equal(1, code);
        Assert.Contains("an ONNX file runs in ONNX Runtime (--engine onnx)", stderr);

        string notOnnx = Path.Combine(root, "text.onnx");
        File.WriteAllText(notOnnx, "not a protobuf at all");
        (code, _, stderr) = SkdProcess.Run("info", "--onnx", notOnnx);
        Assert.Equal(1, code);
        Assert.Contains($"{notOnnx}: not an ONNX model", stderr);
    }
}
