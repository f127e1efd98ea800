using System.Security.Cryptography;

namespace Skd.Tests.Export;

/// <summary>
/// The exports passed <c>onnx.checker.check_model(full_check=True)</c> of Debian's python3-onnx: the test
/// exports seeded U-Nets of several widths, depths, opsets, folded and not, and finds each file's SHA-256
/// among the verdicts that Fixtures/make_onnx_checker_fixtures.py recorded in onnx_checker_verdicts.json
/// (it ran the checker on these very files). The checker is a fixture tool, never run here.
/// </summary>
[Collection(SerialCollection.Name)]
public class OnnxCheckerVerdictTests
{
    /// <summary>Where the exports are written, for the fixture script to check.</summary>
    public static readonly string ExportFolder = Path.Combine(AppContext.BaseDirectory, "onnx-checker-exports");

    public static TheoryData<int, int, bool, int> Exports() => new()
    {
        { 4, 2, true, 17 }, { 4, 3, false, 17 }, { 4, 4, true, 13 }, { 4, 5, true, 17 }, { 8, 2, false, 15 }, { 16, 2, true, 17 },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public void TheExportPassedOnnxChecker(int width, int depth, bool fold, int opset)
    {
        var (network, info) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 2, width, depth, seed: (ulong)(width + depth));
        using var _ = network;
        var model = UNetOnnxExporter.Export(network, info, new OnnxExportOptions(fold, opset));
        AssertCheckerPassed($"w{width}_d{depth}_{(fold ? "folded" : "bn")}_opset{opset}.onnx", model, opset);
    }

    /// <summary>
    /// The int8 QDQ graph (<see cref="QdqQuantizer"/>) at the oldest opset it needs (13: per-axis DequantizeLinear) and the
    /// default; its activation ranges fixed (not measured) so that the file is the same on every machine.
    /// </summary>
    [Theory]
    [InlineData(4, 2, 13)]
    [InlineData(8, 3, 17)]
    public void TheInt8ExportPassedOnnxChecker(int width, int depth, int opset)
    {
        var (network, info) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 3, width, depth, seed: (ulong)(width + depth));
        using var _ = network;
        var float32 = UNetOnnxExporter.Export(network, info, new OnnxExportOptions(Opset: opset));
        var ranges = QdqQuantizer.CalibratedActivations(float32.Graph).Select((name, i) => (name, new ActivationRange(-(i % 3), 1 + i % 5)))
            .ToDictionary(r => r.name, r => r.Item2);
        AssertCheckerPassed($"w{width}_d{depth}_int8_opset{opset}.onnx", QdqQuantizer.Quantize(float32, new ActivationRanges(ranges, 1)), opset);
    }

    private static void AssertCheckerPassed(string name, Onnx.ModelProto model, int opset)
    {
        model.ProducerVersion = "";   // the toolkit's version would change the file at every release
        Directory.CreateDirectory(ExportFolder);
        string path = Path.Combine(ExportFolder, name);
        OnnxModelFile.Save(path, model);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

        var verdicts = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx_checker_verdicts.json"))).RootElement;
        string regenerate = $"the export changed: run /usr/bin/python3 tests/Skd.Tests/Fixtures/make_onnx_checker_fixtures.py {ExportFolder}";
        Assert.True(verdicts.GetProperty("files").TryGetProperty(name, out var verdict), $"{name}: no verdict; {regenerate}");
        Assert.True(verdict.GetProperty("sha256").GetString() == sha256, $"{name}: {regenerate}");
        Assert.Equal("valid", verdict.GetProperty("checker").GetString());
        Assert.Equal(opset, verdict.GetProperty("opset").GetInt32());
    }
}
