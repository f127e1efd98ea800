using Google.Protobuf;

namespace Skd.Inference;

/// <summary>
/// A model file opened for inference by the engine asked for, whatever the file's format: a
/// safetensors model or checkpoint (<see cref="ModelFile"/>) runs in libtorch, or is exported to ONNX
/// in memory for ONNX Runtime; an exported .onnx file (<see cref="OnnxModelFile"/>) runs in ONNX Runtime.
/// </summary>
public static class InferenceEngines
{
    /// <summary>
    /// The engine of a safetensors model when none is named: ONNX Runtime, 0.77x libtorch's time for a U-Net of width 16
    /// at 512² with 2 threads here, each engine alone in its process on a quiet machine (bench/Skd.PredictBench; the
    /// README's deployment section).
    /// </summary>
    public const InferenceEngineKind Default = InferenceEngineKind.Onnx;

    /// <summary>Parses an <c>--engine</c> value.</summary>
    public static InferenceEngineKind Parse(string name) => name switch
    {
        "torch" => InferenceEngineKind.Torch,
        "onnx" => InferenceEngineKind.Onnx,
        _ => throw new ArgumentException($"unknown engine '{name}' (torch or onnx)"),
    };

    /// <summary>The model description of a model file of either format.</summary>
    public static ModelInfo ReadInfo(string path) => OnnxModelFile.IsOnnx(path) ? OnnxModelFile.ReadInfo(path) : ModelFile.ReadInfo(path);

    /// <summary>
    /// Opens the model at <paramref name="path"/> (a file; see <see cref="ModelFile.Resolve"/> for run folders) in
    /// <paramref name="kind"/>, or, when null, ONNX Runtime for an .onnx file and <see cref="Default"/> otherwise.
    /// The torch engine lays its weights out in <paramref name="memoryFormat"/> and runs on <paramref name="device"/>
    /// (null: the CPU); a GPU there makes libtorch the engine when none is named, ONNX Runtime running on the CPU.
    /// </summary>
    /// <exception cref="ArgumentException">An ONNX file asked to run in libtorch, or ONNX Runtime asked to run on a GPU.</exception>
    public static (IInferenceEngine Engine, ModelInfo Info) Open(string path, InferenceEngineKind? kind = null, MemoryFormat memoryFormat = MemoryFormats.Default,
        Device? device = null)
    {
        if (device is { Type: not DeviceType.Cpu } gpu)
        {
            if (kind == InferenceEngineKind.Onnx || OnnxModelFile.IsOnnx(path))
                throw new OptionException(o => $"{path}: ONNX Runtime runs on the CPU here; {o("device")} {gpu} runs a .safetensors model in libtorch ({o("engine")} torch)");
            kind = InferenceEngineKind.Torch;
        }
        if (OnnxModelFile.IsOnnx(path))
        {
            if (kind == InferenceEngineKind.Torch)
                throw new OptionException(o => $"{path}: an ONNX file runs in ONNX Runtime ({o("engine")} onnx); the torch engine runs the .safetensors model it was exported from");
            var model = OnnxModelFile.Read(path);
            var info = OnnxModelMetadata.Read(model, path);
            return (new OnnxRuntimeEngine(model.ToByteArray(), info.Network, path), info);
        }
        if ((kind ?? Default) == InferenceEngineKind.Onnx)
        {
            var (model, info) = OnnxModelFile.Export(path);
            return (new OnnxRuntimeEngine(model.ToByteArray(), info.Network, path), info);
        }
        var (network, torchInfo) = ModelFile.Load(path);
        try
        {
            return (new TorchEngine(network, ownsNetwork: true, memoryFormat, device), torchInfo);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
