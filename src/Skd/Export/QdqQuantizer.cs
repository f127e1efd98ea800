using System.Buffers.Binary;
using Onnx;
using static Skd.Export.OnnxGraphBuilder;

namespace Skd.Export;

/// <summary>
/// Static int8 quantisation of an fp32 graph in QDQ form (QuantizeLinear → DequantizeLinear pairs that ONNX Runtime fuses
/// into integer kernels at optimisation level all: Conv into QLinearConv). The rule is one, over whatever graph comes:
/// <list type="bullet">
/// <item>every activation that a Conv, ConvTranspose, MaxPool or Concat reads is quantised to uint8 (asymmetric,
/// <see cref="UInt8Quantization"/>, from its calibration range) and read through its DequantizeLinear; a MaxPool's output
/// takes its input's parameters (the maximum of quantised values is the quantised maximum, so ONNX Runtime pools uint8);</item>
/// <item>the weights of Conv and ConvTranspose are int8, symmetric per output channel (scale max|w|/127, zero point 0; axis 0
/// for Conv, 1 for ConvTranspose), their biases int32 with scale input scale × weight scale, as QLinearConv takes them;</item>
/// <item>anything else stays float32: the graph's output (the logits, whose 1×1 Conv then runs in float32 on dequantised
/// weights), and the ReLU inputs (ONNX Runtime folds ReLU into the QuantizeLinear after it, zero point 0).</item>
/// </list>
/// Batch norms must be folded first (a BatchNormalization between Conv and its ReLU would stop the fusion).
/// </summary>
public static class QdqQuantizer
{
    private static readonly HashSet<string> QuantisedOperators = ["Conv", "ConvTranspose", "MaxPool", "Concat"];

    /// <summary>The activations whose ranges the quantiser needs, in graph order (what <see cref="ActivationCalibrator"/> measures).</summary>
    public static IReadOnlyList<string> CalibratedActivations(GraphProto graph)
    {
        var constants = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var pooled = graph.Node.Where(n => n.OpType == "MaxPool").Select(n => n.Output[0]).ToHashSet(StringComparer.Ordinal);
        return QuantisedActivations(graph, constants).Where(a => !pooled.Contains(a)).ToList();
    }

    /// <summary>The int8 graph of <paramref name="model"/> (float32, batch norms folded) with the activation ranges of <paramref name="ranges"/>.</summary>
    /// <exception cref="InvalidOperationException">The graph has a BatchNormalization, or an activation has no range.</exception>
    public static ModelProto Quantize(ModelProto model, ActivationRanges ranges)
    {
        var source = model.Graph;
        if (source.Node.FirstOrDefault(n => n.OpType == "BatchNormalization") is { } norm)
            throw new InvalidOperationException($"int8 quantisation needs the batch norms folded into the convolutions ({norm.Name} is not)");
        var constants = source.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var activations = Parameters(source, ranges, constants.Keys.ToHashSet(StringComparer.Ordinal));
        var builder = new OnnxGraphBuilder(source.Name + "_int8");
        var read = new Dictionary<string, string>(StringComparer.Ordinal);   // activation → its DequantizeLinear's output
        var written = new Dictionary<string, string>(StringComparer.Ordinal);   // constant → what reads it

        foreach (var input in source.Input.Where(i => !constants.ContainsKey(i.Name)))
        {
            builder.Input(input);
            QuantizeActivation(builder, input.Name, activations, read);
        }
        foreach (var node in source.Node)
        {
            var inputs = node.Input.Select((name, i) =>
                read.TryGetValue(name, out var dequantised) ? dequantised
                : constants.ContainsKey(name) ? Constant(builder, node, i, constants, activations, written)
                : name).ToList();
            builder.Node(node, inputs);
            foreach (var output in node.Output) QuantizeActivation(builder, output, activations, read);
        }
        foreach (var output in source.Output) builder.Output(output);

        return new ModelProto(model) { Graph = builder.Graph };
    }

    /// <summary>The activations read by the quantised operators: names that are no constant, in graph order, each once.</summary>
    private static IEnumerable<string> QuantisedActivations(GraphProto graph, IReadOnlySet<string> constants) =>
        graph.Node.Where(n => QuantisedOperators.Contains(n.OpType)).SelectMany(n => n.Input)
            .Where(name => name.Length > 0 && !constants.Contains(name)).Distinct(StringComparer.Ordinal);

    /// <summary>Each quantised activation's uint8 parameters: its own range's, or for a MaxPool's output its input's.</summary>
    private static Dictionary<string, UInt8Quantization> Parameters(GraphProto graph, ActivationRanges ranges, IReadOnlySet<string> constants)
    {
        var wanted = QuantisedActivations(graph, constants).ToHashSet(StringComparer.Ordinal);
        var pools = graph.Node.Where(n => n.OpType == "MaxPool").ToDictionary(n => n.Output[0], n => n.Input[0], StringComparer.Ordinal);
        var parameters = new Dictionary<string, UInt8Quantization>(StringComparer.Ordinal);
        UInt8Quantization Of(string name) =>
            parameters.TryGetValue(name, out var p) ? p
            : parameters[name] = pools.TryGetValue(name, out var pooled) ? Of(pooled) : UInt8Quantization.Of(ranges.Of(name));
        foreach (var name in wanted) Of(name);
        return parameters;
    }

    private static void QuantizeActivation(OnnxGraphBuilder builder, string name, IReadOnlyDictionary<string, UInt8Quantization> activations, Dictionary<string, string> read)
    {
        if (!activations.TryGetValue(name, out var q)) return;
        string scale = builder.Initializer($"{name}.scale", [q.Scale]);
        string zeroPoint = builder.Initializer($"{name}.zero_point", new[] { q.ZeroPoint });
        string quantised = builder.Node("QuantizeLinear", $"{name}.quantized", [name, scale, zeroPoint]);
        read[name] = builder.Node("DequantizeLinear", $"{name}.dequantized", [quantised, scale, zeroPoint]);
    }

    /// <summary>
    /// Input <paramref name="index"/> of <paramref name="node"/>, a constant: a Conv's or ConvTranspose's weight (input 1) or
    /// bias (input 2) quantised and read through its DequantizeLinear; any other constant as it is. Each is written once.
    /// </summary>
    private static string Constant(OnnxGraphBuilder builder, NodeProto node, int index, IReadOnlyDictionary<string, TensorProto> constants,
        IReadOnlyDictionary<string, UInt8Quantization> activations, Dictionary<string, string> written)
    {
        string name = node.Input[index];
        if (written.TryGetValue(name, out var done)) return done;
        var constant = constants[name];
        if (node.OpType is not ("Conv" or "ConvTranspose") || index == 0)
            return written[name] = builder.Initializer(constant);
        if (node.OpType == "ConvTranspose" && (node.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1) != 1)
            throw new InvalidOperationException($"{node.Name}: a grouped ConvTranspose has no per-output-channel weight axis");
        int axis = node.OpType == "Conv" ? 0 : 1;
        var weight = constants[node.Input[1]];
        var scales = WeightScales(Floats(weight), [.. weight.Dims], axis);
        if (index == 1)
        {
            string int8 = builder.Initializer($"{name}.quantized", Int8Weights(Floats(weight), [.. weight.Dims], axis, scales), [.. weight.Dims]);
            return written[name] = Dequantized(builder, name, int8, builder.Initializer($"{name}.zero_point", new sbyte[scales.Length], scales.Length), scales, axis);
        }
        if (!activations.TryGetValue(node.Input[0], out var input))
            throw new InvalidOperationException($"{node.Name}: its input {node.Input[0]} is not quantised");
        float[] biasScales = [.. scales.Select(s => s * input.Scale)];
        int[] bias = [.. Floats(constant).Select((b, c) => (int)Math.Clamp(Math.Round(b / (double)biasScales[c]), int.MinValue, int.MaxValue))];
        string int32 = builder.Initializer($"{name}.quantized", bias, [.. constant.Dims]);
        return written[name] = Dequantized(builder, name, int32, builder.Initializer($"{name}.zero_point", new int[bias.Length], bias.Length), biasScales, axis: 0);
    }

    /// <summary>max|w|/127 of each slice of <paramref name="weights"/> along <paramref name="axis"/> (1 where a slice is all zeros).</summary>
    private static float[] WeightScales(float[] weights, long[] dims, int axis)
    {
        var scales = new float[dims[axis]];
        var channel = Channels(dims, axis);
        for (int i = 0; i < weights.Length; i++) scales[channel(i)] = Math.Max(scales[channel(i)], Math.Abs(weights[i]));
        return [.. scales.Select(m => m > 0 ? m / sbyte.MaxValue : 1f)];
    }

    /// <summary>round(w / scale) of each weight, clamped to ±127 (symmetric: −128 unused, as ONNX Runtime's quantiser).</summary>
    private static sbyte[] Int8Weights(float[] weights, long[] dims, int axis, float[] scales)
    {
        var channel = Channels(dims, axis);
        return [.. weights.Select((w, i) => (sbyte)Math.Clamp(MathF.Round(w / scales[channel(i)]), -sbyte.MaxValue, sbyte.MaxValue))];
    }

    /// <summary>The index along <paramref name="axis"/> of each element of a row-major tensor of <paramref name="dims"/>.</summary>
    private static Func<int, long> Channels(long[] dims, int axis)
    {
        long inner = dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b), count = dims[axis];
        return i => i / inner % count;
    }

    /// <summary>The DequantizeLinear, per channel along <paramref name="axis"/>, that reads the quantised constant <paramref name="quantised"/>.</summary>
    private static string Dequantized(OnnxGraphBuilder builder, string name, string quantised, string zeroPoint, float[] scales, int axis) =>
        builder.Node("DequantizeLinear", $"{name}.dequantized", [quantised, builder.Initializer($"{name}.scale", scales, scales.Length), zeroPoint], Int("axis", axis));

    /// <summary>The values of a float32 constant (raw_data little-endian, or float_data).</summary>
    private static float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidOperationException($"{tensor.Name}: a float32 constant was expected, got ONNX type {tensor.DataType}");
        if (tensor.RawData.Length == 0) return [.. tensor.FloatData];
        var bytes = tensor.RawData.Span;
        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return values;
    }
}
