using Onnx;
using static Skd.Export.OnnxGraphBuilder;

namespace Skd.Export;

/// <summary>
/// The plain student <see cref="UNet"/> (any width and depth) as an ONNX model, written from its
/// modules: <c>image</c> (float32, batch × C_in × height × width, prepared as <see cref="ModelInfo"/>
/// says) → <c>logits</c> (batch × K × height × width); batch, height and width are dynamic (height
/// and width multiples of 2^depth, as for <see cref="UNet.Forward"/>: the U-Net pads nothing, so
/// the graph needs neither Pad nor Resize). Each module becomes its operator (Conv2d → Conv,
/// BatchNorm2d → BatchNormalization or folded into the Conv before it, ReLU → Relu, MaxPool2d →
/// MaxPool, ConvTranspose2d → ConvTranspose, the decoder's join → Concat [skip, upsampled]); value
/// names are the PyTorch state-dict names. The model's <see cref="ModelInfo"/> goes into the
/// metadata (<see cref="OnnxModelMetadata"/>).
/// </summary>
public static class UNetOnnxExporter
{
    public const string InputName = "image";
    public const string OutputName = "logits";

    public static ModelProto Export(UNet network, ModelInfo info, OnnxExportOptions? options = null)
    {
        options = (options ?? new OnnxExportOptions()).Validate();
        if (network.Config != info.Network)
            throw new ArgumentException($"the network ({network.Config}) is not the one its model description names ({info.Network})");
        using var scope = new DisposeScope();
        var config = network.Config;
        var modules = network.NamedModules().ToDictionary(m => m.Name, m => m.Module);
        var writer = new ModuleWriter(new OnnxGraphBuilder($"skd_unet_w{config.Width}_d{config.Depth}"), modules, options.FoldBatchNorm);

        string image = writer.Graph.Input(InputName, "batch", (long)config.InChannels, "height", "width");
        var encoder = new List<string> { writer.Write("inc", image) };
        for (int i = 1; i <= config.Depth; i++) encoder.Add(writer.Write($"down{i}", encoder[^1]));
        string x = encoder[^1];
        for (int i = 1; i <= config.Depth; i++)
        {
            string upsampled = writer.Write($"up{i}.up", x);
            string joined = writer.Graph.Node("Concat", $"up{i}.cat", [encoder[^(i + 1)], upsampled], Int("axis", 1));
            x = writer.Write($"up{i}.conv", joined);
        }
        string logits = writer.Write("outc", x, outputName: OutputName);
        writer.Graph.Output(logits, "batch", (long)config.Classes, "height", "width");

        var model = new ModelProto
        {
            IrVersion = options.IrVersion,
            ProducerName = "skd",
            ProducerVersion = typeof(UNetOnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            Domain = "skd",
            ModelVersion = 1,
            DocString = $"U-Net (width {config.Width}, depth {config.Depth}) trained by {info.Method}: {InputName} " +
                        $"[batch, {config.InChannels}, height, width] → {OutputName} [batch, {config.Classes}, height, width]; " +
                        $"height and width multiples of {config.SizeMultiple}. The metadata describes the preprocessing.",
            Graph = writer.Graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        OnnxModelMetadata.Write(model, info);
        return model;
    }

    /// <summary>Writes modules of the network as nodes, by their dotted names.</summary>
    private sealed class ModuleWriter(OnnxGraphBuilder graph, IReadOnlyDictionary<string, Module> modules, bool foldBatchNorm)
    {
        public OnnxGraphBuilder Graph => graph;

        /// <summary>Writes module <paramref name="name"/> applied to <paramref name="input"/>; returns its output's name.</summary>
        public string Write(string name, string input, string? outputName = null)
        {
            var layers = Layers(name).ToList();
            string x = input;
            for (int i = 0; i < layers.Count; i++)
            {
                var (layerName, layer) = layers[i];
                bool last = i == layers.Count - 1;
                if (layer is Conv2d conv && foldBatchNorm && i + 1 < layers.Count && layers[i + 1].Module is BatchNorm2d norm)
                {
                    x = Conv(layerName, x, conv, norm, i + 1 == layers.Count - 1 ? outputName : null);
                    i++;
                    continue;
                }
                x = Layer(layerName, layer, x, last ? outputName : null);
            }
            return x;
        }

        /// <summary>The operator modules of <paramref name="name"/> in the order its forward applies them.</summary>
        private IEnumerable<(string Name, Module Module)> Layers(string name)
        {
            var module = modules.TryGetValue(name, out var m) ? m : throw new InvalidOperationException($"the U-Net has no module '{name}'");
            if (module is Conv2d or BatchNorm2d or ReLU or MaxPool2d or ConvTranspose2d)
                return [(name, module)];
            if (module is Sequential or DoubleConv or UNetDown or OutConv)
                return module.NamedChildren().SelectMany(child => Layers($"{name}.{child.Name}"));
            throw new InvalidOperationException($"{name}: no ONNX form for a {module.GetType().Name}");
        }

        private string Layer(string name, Module layer, string x, string? outputName)
        {
            string output = outputName ?? name;
            return layer switch
            {
                Conv2d conv => Conv(name, x, conv, norm: null, outputName),
                BatchNorm2d norm => graph.Node("BatchNormalization", output,
                    [x, Constant($"{name}.weight", norm.Weight!), Constant($"{name}.bias", norm.Bias!),
                     Constant($"{name}.running_mean", norm.RunningMean!), Constant($"{name}.running_var", norm.RunningVar!)],
                    Float("epsilon", (float)norm.Eps)),
                ReLU => graph.Node("Relu", output, [x]),
                MaxPool2d pool => graph.Node("MaxPool", output, [x],
                    Ints("kernel_shape", pool.KernelSize, pool.KernelSize), Ints("strides", pool.Stride, pool.Stride),
                    Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding), Ints("dilations", pool.Dilation, pool.Dilation),
                    Int("ceil_mode", pool.CeilMode ? 1 : 0)),
                ConvTranspose2d up => graph.Node("ConvTranspose", output,
                    [x, Constant($"{name}.weight", up.Weight), .. up.Bias is { } b ? [Constant($"{name}.bias", b)] : Array.Empty<string>()],
                    Ints("kernel_shape", up.Weight.Size(2), up.Weight.Size(3)), Ints("strides", up.Stride, up.Stride),
                    Ints("pads", up.Padding, up.Padding, up.Padding, up.Padding), Ints("output_padding", up.OutputPadding, up.OutputPadding),
                    Ints("dilations", up.Dilation, up.Dilation), Int("group", up.Groups)),
                _ => throw new InvalidOperationException($"{name}: no ONNX form for a {layer.GetType().Name}"),
            };
        }

        /// <summary>A Conv node; with <paramref name="norm"/>, the batch norm after it folded into its weight and bias.</summary>
        private string Conv(string name, string x, Conv2d conv, BatchNorm2d? norm, string? outputName)
        {
            var (weight, bias) = norm is null
                ? (conv.Weight.Float().Cpu().Contiguous().ToArray<float>(), conv.Bias?.Float().Cpu().ToArray<float>())
                : BatchNormFolding.Fold(conv, norm);
            var inputs = new List<string> { x, graph.Initializer($"{name}.weight", weight, conv.Weight.Shape) };
            if (bias is not null) inputs.Add(graph.Initializer($"{name}.bias", bias, bias.Length));
            return graph.Node("Conv", outputName ?? name, inputs,
                Ints("kernel_shape", conv.Weight.Size(2), conv.Weight.Size(3)), Ints("strides", conv.Stride, conv.Stride),
                Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding), Ints("dilations", conv.Dilation, conv.Dilation),
                Int("group", conv.Groups));
        }

        private string Constant(string name, Tensor t) => graph.Initializer(name, t.Float().Cpu().Contiguous().ToArray<float>(), t.Shape);
    }
}
