using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Skd.Tests.Export;

/// <summary>
/// int8 export (<see cref="QdqQuantizer"/>, <see cref="ActivationCalibrator"/>, <see cref="Int8Export"/>): the QDQ graph's
/// contents, ONNX Runtime's fusion of it into integer kernels, and its label maps against float32's.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class QdqQuantizerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-int8-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    /// <summary>A seeded U-Net of width 8, depth 3 for 32² grey images, and its float32 export.</summary>
    private static (UNet Network, ModelInfo Info, ModelProto Float32) Model(int classes = 2, ulong seed = 3)
    {
        var (network, info) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes, width: 8, depth: 3, seed);
        info = info with { Size = 32, Normalization = IntensityNormalization.Auto };
        return (network, info, UNetOnnxExporter.Export(network, info));
    }

    private static ModelProto Quantized(ModelProto float32, ulong seed = 1)
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(seed);
        return QdqQuantizer.Quantize(float32, ActivationCalibrator.Measure(float32, [.. Enumerable.Range(0, 4).Select(_ => torch.Rand(1, 1, 32, 32))]));
    }

    [Fact]
    public void EveryConvolutionReadsPerChannelInt8WeightsAndUint8Activations()
    {
        var (network, _, float32) = Model();
        using var _ = network;
        var int8 = Quantized(float32);
        var graph = int8.Graph;
        var constants = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.ToDictionary(n => n.Output[0]);
        var floatWeights = float32.Graph.Initializer.ToDictionary(t => t.Name);
        var convolutions = graph.Node.Where(n => n.OpType is "Conv" or "ConvTranspose").ToList();
        Assert.Equal(float32.Graph.Node.Count(n => n.OpType is "Conv" or "ConvTranspose"), convolutions.Count);
        foreach (var node in convolutions)
        {
            // The input: uint8 through QuantizeLinear → DequantizeLinear.
            var input = producers[node.Input[0]];
            Assert.Equal("DequantizeLinear", input.OpType);
            Assert.Equal("QuantizeLinear", producers[input.Input[0]].OpType);
            Assert.Equal((int)TensorProto.Types.DataType.Uint8, constants[input.Input[2]].DataType);
            // The weight: int8, one scale per output channel along axis 0 (Conv) or 1 (ConvTranspose), zero points 0.
            var weight = producers[node.Input[1]];
            Assert.Equal("DequantizeLinear", weight.OpType);
            int axis = node.OpType == "Conv" ? 0 : 1;
            Assert.Equal(axis, weight.Attribute.Single(a => a.Name == "axis").I);
            var q = constants[weight.Input[0]];
            Assert.Equal((int)TensorProto.Types.DataType.Int8, q.DataType);
            var scales = Floats(constants[weight.Input[1]]);
            Assert.Equal(q.Dims[axis], scales.Length);
            Assert.All(constants[weight.Input[2]].RawData.ToByteArray(), z => Assert.Equal(0, z));
            // Dequantised, each weight is within half a step of its float32 value.
            var original = Floats(floatWeights[weight.Input[0][..^".quantized".Length]]);
            var values = q.RawData.ToByteArray().Select(b => (sbyte)b).ToArray();
            long inner = q.Dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
            for (int i = 0; i < values.Length; i++)
            {
                float scale = scales[i / inner % q.Dims[axis]];
                Assert.True(Math.Abs(values[i] * scale - original[i]) <= scale / 2 + 1e-7, $"{q.Name}[{i}]");
            }
            // The bias: int32.
            Assert.Equal((int)TensorProto.Types.DataType.Int32, constants[producers[node.Input[2]].Input[0]].DataType);
        }
        // int8 weights: the constants take under 30 % of float32's bytes (scales and int32 biases included).
        Assert.True(graph.Initializer.Sum(t => t.RawData.Length) < 0.3 * float32.Graph.Initializer.Sum(t => t.RawData.Length));
        // No float32 weight is left, and the logits stay float32.
        Assert.DoesNotContain(graph.Initializer, t => t.Name.EndsWith(".weight") && t.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Equal(UNetOnnxExporter.OutputName, graph.Output.Single().Name);
        Assert.Equal("Conv", producers[UNetOnnxExporter.OutputName].OpType);
    }

    [Fact]
    public void OnnxRuntimeFusesEveryConvolutionButTheHeadIntoQLinearConv()
    {
        var (network, _, float32) = Model();
        using var _ = network;
        string optimisedPath = Path.Combine(root, "optimised.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimisedPath })
        using (new InferenceSession(Quantized(float32).ToByteArray(), options)) { }
        var optimised = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimisedPath)).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        int convolutions = float32.Graph.Node.Count(n => n.OpType == "Conv");
        Assert.Equal(convolutions - 1, optimised.GetValueOrDefault("QLinearConv"));   // the 1×1 head writes float32 logits
        Assert.False(optimised.ContainsKey("Relu"), "ONNX Runtime folds each ReLU into the QuantizeLinear after it");
    }

    [Fact]
    public void TheInt8LabelMapsAgreeWithFloat32OnTheTestSplit()
    {
        var (network, info, float32) = Model(classes: 2, seed: 4);
        using var _ = network;
        var dataset = SegmentationDataset.Open(TinyData.Vessels(root));
        var (int8, comparison) = Int8Export.Quantize(float32, info, dataset, calibrationImages: 6);
        Assert.Equal(dataset.Split("test").Count, comparison.Cases);
        Assert.True(comparison.Agreement >= 0.99, $"int8 and float32 label maps agree on {comparison.Agreement:P2} of the pixels (stated: at least 99 %)");

        // The file: int8 as skd info reads it, with how it was made and its comparison in the metadata; predict runs it.
        string path = Path.Combine(root, "int8.onnx");
        OnnxModelFile.Save(path, int8);
        var summary = OnnxModelSummary.Of(path);
        Assert.Equal("int8", summary.Precision);
        Assert.Equal("float32", OnnxModelSummary.Of(Saved("float32.onnx", float32)).Precision);
        var metadata = summary.Metadata.ToDictionary(m => m.Key, m => m.Value);
        Assert.Contains("6 training image(s) of vessels", metadata[Int8Export.QuantizationKey]);
        Assert.Equal(comparison.Agreement, double.Parse(metadata["int8.pixel_agreement"], System.Globalization.CultureInfo.InvariantCulture));
        using var byInt8 = Predictor.Load(path);
        using var byTorch = new Predictor(network, info);
        using var scope = new DisposeScope();
        long agreeing = 0, pixels = 0;
        foreach (var c in dataset.Split("test"))
        {
            using var loaded = dataset.Load(c);
            var expected = byTorch.Predict(loaded);
            agreeing += expected.Eq(byInt8.Predict(loaded)).Sum().Item<long>();
            pixels += expected.NumElements;
        }
        Assert.Equal(comparison.Agreement, (double)agreeing / pixels, 3);
    }

    [Fact]
    public void CalibrationNeedsTheModelsClassesAndTrainingImages()
    {
        var (network, info, float32) = Model(classes: 3);
        using var _ = network;
        var dataset = SegmentationDataset.Open(TinyData.Vessels(root));
        var e = Assert.Throws<ArgumentException>(() => Int8Export.Quantize(float32, info, dataset));
        Assert.Contains("the dataset has 2 classes, the model 3", e.Message);
        Assert.Throws<ArgumentException>(() => CalibrationImages.Sample(dataset, info, 0));
        Assert.Throws<InvalidOperationException>(() => QdqQuantizer.Quantize(UNetOnnxExporter.Export(network, info, new OnnxExportOptions(FoldBatchNorm: false)), new ActivationRanges(new Dictionary<string, ActivationRange>(), 1)));
    }

    private string Saved(string name, ModelProto model)
    {
        string path = Path.Combine(root, name);
        OnnxModelFile.Save(path, model);
        return path;
    }

    private static float[] Floats(TensorProto t)
    {
        var bytes = t.RawData.ToByteArray();
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
