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

    [Fact]
    public void Int8ExportPrintsItsComparisonAndRunsAsAnInt8File()
    {
        string data = Path.Combine(root, "data");
        Ok(SkdProcess.Run("synth", "vessels", "--out", data, "--count", "8", "--size", "32"));
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2, size: 32);
        string int8 = Path.Combine(root, "int8.onnx"), float32 = Path.Combine(root, "float32.onnx");
        var (code, stdout, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", int8, "--int8", "--calibrate", data, "--calibration-images", "4");
        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"int8 against float32 on .*data: 2 test case\(s\): mean Dice float32 \d\.\d{4}, int8 \d\.\d{4} \([+-]\d\.\d{4}\); int8 against float32: Dice \d\.\d{4}, [\d.]+ % of the pixels agree", stdout);
        Assert.Contains("batch norm folded, int8 (QDQ)", stdout);
        Ok(SkdProcess.Run("export", "--checkpoint", model, "--onnx", float32));
        Assert.True(new FileInfo(int8).Length < new FileInfo(float32).Length, "the int8 file is the smaller");

        (code, stdout, stderr) = SkdProcess.Run("info", "--onnx", int8);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("produced by skd", stdout);
        Assert.Contains(", int8", stdout);
        Assert.Contains("\"precision\": \"int8\"", SkdProcess.Run("info", "--onnx", int8, "--json").StdOut);
        Assert.Contains(", float32", SkdProcess.Run("info", "--onnx", float32).StdOut);

        // Predict runs the int8 file; its label maps are float32's on most pixels (this fresh U-Net, its head scaled x50 by
        // TestModels, puts its decision boundary near most pixels: 95 % agree here, 99 % for QdqQuantizerTests' model).
        Ok(SkdProcess.Run("predict", "--checkpoint", int8, "--input", Path.Combine(data, "images"), "--out", Path.Combine(root, "p8")));
        Ok(SkdProcess.Run("predict", "--checkpoint", float32, "--input", Path.Combine(data, "images"), "--out", Path.Combine(root, "p32")));
        using var s = new DisposeScope();
        long agreeing = 0, pixels = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "p32")))
        {
            var expected = ImageFile.Read(file);
            agreeing += expected.Eq(ImageFile.Read(Path.Combine(root, "p8", Path.GetFileName(file)))).Sum().Item<long>();
            pixels += expected.NumElements;
        }
        Assert.True(agreeing >= 0.9 * pixels, $"int8 agrees with float32 on {agreeing} of {pixels} pixels (stated: at least 90 %)");
    }

    [Fact]
    public void Int8CalibrationProblemsAreOneLineErrorsAndWriteNothing()
    {
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2, size: 32);
        string onnx = Path.Combine(root, "int8.onnx"), empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        void Refused(string expected, params string[] options)
        {
            var (code, stdout, stderr) = SkdProcess.Run(["export", "--checkpoint", model, "--onnx", onnx, .. options]);
            Assert.True(code == 1, stdout + stderr);
            Assert.Equal($"skd export: error: {expected}", stderr.Trim());
            Assert.False(File.Exists(onnx));
        }
        Refused("--int8 needs --calibrate DATA: the training images to measure activation ranges on (its test split is scored against float32)", "--int8");
        Refused("--calibrate is for --int8: give both to export an int8 model", "--calibrate", empty);
        Refused("--int8 folds the batch norms into the convolutions; leave out --no-fold-bn", "--int8", "--calibrate", empty, "--no-fold-bn");
        Refused($"{Path.Combine(root, "missing")}: no such folder", "--int8", "--calibrate", Path.Combine(root, "missing"));
        // The file may not land in the dataset being read.
        string data = Path.Combine(root, "data");
        Ok(SkdProcess.Run("synth", "vessels", "--out", data, "--count", "4", "--size", "32"));
        var (code, _, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", Path.Combine(data, "model.onnx"), "--int8", "--calibrate", data);
        Assert.Equal(1, code);
        Assert.Contains("inside the dataset folder being read", stderr);
        Assert.False(File.Exists(Path.Combine(data, "model.onnx")));
        (code, _, stderr) = SkdProcess.Run("export", "--checkpoint", model, "--onnx", onnx, "--int8", "--calibrate", empty);
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"skd export: error: {empty}", stderr.Trim());
        Assert.False(File.Exists(onnx));
    }
}
