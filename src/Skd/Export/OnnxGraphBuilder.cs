using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Skd.Export;

/// <summary>
/// An ONNX graph being written: initializers (float32, and the int8, uint8 and int32 of a quantised graph),
/// nodes in execution order (ONNX wants them topologically sorted), and float32 inputs and outputs whose
/// dimensions are numbers or named symbols (<c>"batch"</c>: dynamic). A node written here has one output,
/// named after the node; a node copied from another graph keeps its outputs.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name) => graph = new GraphProto { Name = name };

    public GraphProto Graph => graph;

    /// <summary>Declares a float32 graph input; a dimension is a size (long) or a symbol (string) for a dynamic one.</summary>
    public string Input(string name, params object[] dims)
    {
        graph.Input.Add(ValueInfo(Claim(name), dims));
        return name;
    }

    /// <summary>Declares <paramref name="name"/> (a node's output) as a float32 graph output.</summary>
    public void Output(string name, params object[] dims) => graph.Output.Add(ValueInfo(name, dims));

    /// <summary>A float32 constant of the given shape, stored little-endian in raw_data.</summary>
    public string Initializer(string name, float[] values, params long[] dims) => Initializer(name, TensorProto.Types.DataType.Float, values, dims);

    /// <summary>An int8 constant (quantised weights, their zero points).</summary>
    public string Initializer(string name, sbyte[] values, params long[] dims) => Initializer(name, TensorProto.Types.DataType.Int8, values, dims);

    /// <summary>A uint8 constant (an activation's zero point).</summary>
    public string Initializer(string name, byte[] values, params long[] dims) => Initializer(name, TensorProto.Types.DataType.Uint8, values, dims);

    /// <summary>An int32 constant (quantised biases, their zero points).</summary>
    public string Initializer(string name, int[] values, params long[] dims) => Initializer(name, TensorProto.Types.DataType.Int32, values, dims);

    private string Initializer<T>(string name, TensorProto.Types.DataType type, T[] values, long[] dims) where T : unmanaged
    {
        if (values.LongLength != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"{name}: {values.Length} values for shape [{string.Join(", ", dims)}]");
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)type };
        tensor.Dims.AddRange(dims);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        int size = Unsafe.SizeOf<T>();
        if (!BitConverter.IsLittleEndian && size > 1)
            for (int i = 0; i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
        tensor.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Copies a constant of another graph.</summary>
    public string Initializer(TensorProto tensor)
    {
        graph.Initializer.Add(new TensorProto(tensor) { Name = Claim(tensor.Name) });
        return tensor.Name;
    }

    /// <summary>Copies a graph input or output declaration of another graph.</summary>
    public void Input(ValueInfoProto value) => graph.Input.Add(new ValueInfoProto(value) { Name = Claim(value.Name) });

    /// <inheritdoc cref="Input(ValueInfoProto)"/>
    public void Output(ValueInfoProto value) => graph.Output.Add(new ValueInfoProto(value));

    /// <summary>Copies a node of another graph (its operator, name, outputs and attributes) reading <paramref name="inputs"/> instead of its own.</summary>
    public void Node(NodeProto node, IEnumerable<string> inputs)
    {
        var copy = new NodeProto(node);
        copy.Input.Clear();
        copy.Input.AddRange(inputs);
        foreach (var output in copy.Output) Claim(output);
        graph.Node.Add(copy);
    }

    /// <summary>Appends a node of the default domain; its output is named <paramref name="name"/>.</summary>
    public string Node(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Claim(name) };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return name;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private string Claim(string name) =>
        names.Add(name) ? name : throw new InvalidOperationException($"the ONNX graph already has a value named '{name}'");

    private static ValueInfoProto ValueInfo(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long or int => new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) },
                _ => throw new ArgumentException($"{name}: a dimension is a size or a symbol, got {dim}"),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
