using Onnx;

namespace Skd.Export;

/// <summary>
/// What an ONNX file holds, for <c>skd info --onnx</c>: its inputs and outputs with their element types and
/// dimensions (numbers, or the names of dynamic ones), operator sets, IR version, producer, size on disk,
/// node count per operator, parameter count (elements of the initializers), its <see cref="Precision"/>, and its metadata_props.
/// </summary>
public sealed record OnnxModelSummary(
    string Path, long Bytes, long IrVersion, IReadOnlyList<(string Domain, long Version)> Opsets, string Producer, string Precision,
    IReadOnlyList<OnnxValueSummary> Inputs, IReadOnlyList<OnnxValueSummary> Outputs,
    IReadOnlyList<(string Operator, int Count)> Operators, long Parameters, IReadOnlyList<(string Key, string Value)> Metadata)
{
    /// <summary>Reads <paramref name="path"/> (<see cref="OnnxModelFile.Read"/>).</summary>
    public static OnnxModelSummary Of(string path)
    {
        var model = OnnxModelFile.Read(path);
        var graph = model.Graph;
        return new OnnxModelSummary(
            path, new FileInfo(path).Length, model.IrVersion,
            [.. model.OpsetImport.Select(o => (o.Domain == "" ? "ai.onnx" : o.Domain, o.Version))],
            $"{model.ProducerName} {model.ProducerVersion}".Trim(), PrecisionOf(graph),
            [.. graph.Input.Where(i => graph.Initializer.All(t => t.Name != i.Name)).Select(OnnxValueSummary.Of)],
            [.. graph.Output.Select(OnnxValueSummary.Of)],
            [.. graph.Node.GroupBy(n => n.OpType).Select(g => (g.Key, g.Count()))],
            graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b)),
            [.. model.MetadataProps.Select(p => (p.Key, p.Value))]);
    }

    /// <summary>
    /// "int8" for a graph whose weights are quantised (int8 constants read by DequantizeLinear, the QDQ form of
    /// <see cref="QdqQuantizer"/>), else "float32": what the file computes in, read from the graph itself.
    /// </summary>
    private static string PrecisionOf(GraphProto graph)
    {
        var int8 = graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Int8).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return graph.Node.Any(n => n.OpType == "DequantizeLinear" && int8.Contains(n.Input[0])) ? "int8" : "float32";
    }
}

/// <summary>A graph input or output: its name, element type (ONNX's name for it) and dimensions (a size, or a dynamic dimension's name).</summary>
public sealed record OnnxValueSummary(string Name, string ElementType, IReadOnlyList<string> Dimensions)
{
    public static OnnxValueSummary Of(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null) return new OnnxValueSummary(value.Name, "not a tensor", []);
        var type = Enum.IsDefined(typeof(TensorProto.Types.DataType), tensor.ElemType)
            ? ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant() : $"type {tensor.ElemType}";
        var dims = tensor.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?").ToList() ?? [];
        return new OnnxValueSummary(value.Name, type, dims);
    }

    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Dimensions)}]";
}
