using Google.Protobuf;
using Onnx;

namespace Skd.Tests.Export;

/// <summary>The graph <see cref="UNetOnnxExporter"/> writes, its metadata, and exports from every method's checkpoint.</summary>
[Collection(SerialCollection.Name)]
public sealed class UNetOnnxExporterTests() : TempFolder("skd-onnx-export-")
{
    [Theory]
    [InlineData(true, 17)]
    [InlineData(false, 13)]
    public void TheGraphIsTheUNetsLayersWithDynamicBatchAndSize(bool fold, int opset)
    {
        var (network, info) = OnnxParityTests.TrainedLookingUNet(inChannels: 3, classes: 4, width: 4, depth: 3, seed: 2);
        using var _ = network;
        var model = UNetOnnxExporter.Export(network, info, new OnnxExportOptions(fold, opset));
        Assert.Equal(opset, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(opset <= 14 ? 7 : 8, model.IrVersion);
        var input = OnnxValueSummary.Of(model.Graph.Input.Single());
        var output = OnnxValueSummary.Of(model.Graph.Output.Single());
        Assert.Equal("image: float [batch, 3, height, width]", input.ToString());
        Assert.Equal("logits: float [batch, 4, height, width]", output.ToString());
        var counts = model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        // inc + 3 down + 3 up stages of two convs each, and the head.
        Assert.Equal(15, counts["Conv"]);
        Assert.Equal(14, counts["Relu"]);
        Assert.Equal(3, counts["MaxPool"]);
        Assert.Equal(3, counts["ConvTranspose"]);
        Assert.Equal(3, counts["Concat"]);
        Assert.Equal(fold ? 0 : 14, counts.GetValueOrDefault("BatchNormalization"));
        Assert.Equal(fold ? 5 : 6, counts.Count);
        long parameters = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        // The step counts of the batch norms are not exported; folding keeps one bias per batch norm channel in place of weight, bias, mean and variance.
        var state = network.StateDict().Where(kv => !kv.Key.EndsWith("num_batches_tracked")).ToList();
        long batchNormElements = state.Where(kv => kv.Key.Contains("double_conv.1.") || kv.Key.Contains("double_conv.4.")).Sum(kv => kv.Value.NumElements);
        long stateElements = state.Sum(kv => kv.Value.NumElements);
        Assert.Equal(fold ? stateElements - batchNormElements * 3 / 4 : stateElements, parameters);
        // The decoder's join puts the skip first, as UNetUp does.
        var join = model.Graph.Node.First(n => n.OpType == "Concat");
        Assert.Equal(["down2.maxpool_conv.1.double_conv.5", "up1.up"], join.Input);
    }

    [Fact]
    public void TheFileAloneDescribesTheModel()
    {
        var (network, info) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 3, width: 4, depth: 2, seed: 3);
        using var _ = network;
        info = info with { Method = "acw-skd", ImageChannels = Skd.Data.ImageChannels.Grey, Normalization = Skd.Data.IntensityNormalization.ScaleBitDepth };
        string path = Path.Combine(root, "m.onnx");
        OnnxModelFile.Save(path, UNetOnnxExporter.Export(network, info));
        var read = OnnxModelFile.ReadInfo(path);
        Assert.Equal(info.ClassNames, read.ClassNames);
        Assert.Equal(info, read with { ClassNames = info.ClassNames });
        var metadata = OnnxModelFile.Read(path).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(info.Size.ToString(), metadata["size"]);
        Assert.Equal("scale_bit_depth", metadata["normalization"]);
        Assert.Equal("grey", metadata["image_channels"]);
        Assert.Equal("[\"class0\",\"class1\",\"class2\"]", metadata["class_names"]);
        Assert.Equal("acw-skd", metadata["method"]);
        Assert.Equal("3", metadata["network.classes"]);
        Assert.Equal(info, InferenceEngines.ReadInfo(path) with { ClassNames = info.ClassNames });
    }

    [Fact]
    public void AFileThatIsNoExportOfThisToolkitIsAClearError()
    {
        string path = Path.Combine(root, "foreign.onnx");
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "empty" } };
        File.WriteAllBytes(path, model.ToByteArray());
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelFile.ReadInfo(path));
        Assert.Contains($"{path}: not an ONNX export of this toolkit", e.Message);
        File.WriteAllText(path, "{ not protobuf");
        Assert.Contains($"{path}: not an ONNX model", Assert.Throws<InvalidDataException>(() => OnnxModelFile.Read(path)).Message);
    }

    public static TheoryData<string> AllMethods() => new(Methods.All.Select(m => m.Name));

    /// <summary>A run's checkpoint holds the whole method (extra heads, snapshots, the student under <c>student.</c>): the export is the student alone.</summary>
    [Theory]
    [MemberData(nameof(AllMethods))]
    public void EveryMethodsCheckpointExportsThePlainUNet(string name)
    {
        var student = new UNetConfig(InChannels: 1, Classes: 3, Width: 4, Depth: 2);
        string? teacher = null;
        if (Methods.Find(name).NeedsTeacher)
        {
            torch.ManualSeed(1);
            using var teacherNetwork = new UNet(student with { Width = 8 });
            teacher = Path.Combine(root, "teacher.safetensors");
            ModelFile.Save(teacher, teacherNetwork, new ModelInfo { Network = teacherNetwork.Config, Size = 16 });
        }
        torch.ManualSeed(4);
        using var method = Methods.Create(name, student, teacherPath: teacher);
        var info = new ModelInfo { Network = student, Size = 16, Method = name };
        string checkpoint = Path.Combine(root, "last.safetensors");
        SafetensorsFile.Save(checkpoint, method.StateDict(), new Dictionary<string, string> { [ModelFile.MetadataKey] = System.Text.Json.JsonSerializer.Serialize(info, ModelInfo.Json) });

        var (model, exportedInfo) = OnnxModelFile.Export(checkpoint);
        Assert.Equal(name, exportedInfo.Method);
        using var plain = new UNet(student);
        var expected = UNetOnnxExporter.Export(plain, info, new OnnxExportOptions(FoldBatchNorm: false));
        var unfolded = OnnxModelFile.Export(checkpoint, new OnnxExportOptions(FoldBatchNorm: false)).Model;
        Assert.Equal(expected.Graph.Initializer.Select(t => (t.Name, string.Join("x", t.Dims))), unfolded.Graph.Initializer.Select(t => (t.Name, string.Join("x", t.Dims))));
        Assert.Equal(expected.Graph.Node.Select(n => n.OpType), unfolded.Graph.Node.Select(n => n.OpType));

        using var scope = new DisposeScope();
        using var engine = new OnnxRuntimeEngine(model.ToByteArray(), student, checkpoint);
        var batch = torch.Randn(1, 1, 16, 16);
        method.Eval();
        Tensor reference;
        using (torch.NoGrad()) reference = method.Student.Logits(batch);
        Assert.True((engine.Logits(batch) - reference).Abs().Max().Item() <= 1e-4);
    }
}
