namespace Skd.Inference;

/// <summary>
/// What runs a model's forward pass for <see cref="Predictor"/>: a batch of prepared images in, logits out.
/// <see cref="TorchEngine"/> runs the U-Net through libtorch, <see cref="OnnxRuntimeEngine"/> an exported
/// graph through ONNX Runtime; <see cref="InferenceEngines.Open"/> picks one for a model file.
/// </summary>
public interface IInferenceEngine : IDisposable
{
    /// <summary>The engine's name as <c>--engine</c> takes it.</summary>
    InferenceEngineKind Kind { get; }

    /// <summary>The shape of the U-Net it runs.</summary>
    UNetConfig Network { get; }

    /// <summary>Where <see cref="Logits"/> wants its input.</summary>
    Device Device { get; }

    /// <summary>Float32 logits B×K×H×W of a float32 B×C_in×H×W batch (H, W multiples of 2^depth).</summary>
    /// <exception cref="ArgumentException">The batch's shape does not fit the network.</exception>
    Tensor Logits(Tensor batch);
}

/// <summary>The engines <c>--engine</c> names.</summary>
public enum InferenceEngineKind
{
    /// <summary>libtorch, through the toolkit's own binding: <see cref="TorchEngine"/>.</summary>
    Torch,
    /// <summary>ONNX Runtime over the exported graph: <see cref="OnnxRuntimeEngine"/>.</summary>
    Onnx,
}
