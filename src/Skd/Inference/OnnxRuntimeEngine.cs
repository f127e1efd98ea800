using Microsoft.ML.OnnxRuntime;

namespace Skd.Inference;

/// <summary>
/// An exported U-Net (<see cref="Export.UNetOnnxExporter"/>) run by ONNX Runtime on the CPU, all graph
/// optimisations on, with as many intra-op threads as libtorch has (<c>--threads</c> sets both) and
/// one inter-op thread (the graph is a chain). Batches are copied in and logits out as libtorch tensors.
/// </summary>
public sealed class OnnxRuntimeEngine : IInferenceEngine
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions;
    private readonly string inputName, outputName, source;

    /// <param name="model">The serialised ONNX model.</param>
    /// <param name="network">The U-Net it holds (its metadata says so).</param>
    /// <param name="source">The model's file, for messages.</param>
    /// <exception cref="InvalidDataException">ONNX Runtime refuses the model.</exception>
    public OnnxRuntimeEngine(byte[] model, UNetConfig network, string source)
    {
        Network = network;
        this.source = source;
        Threads = torch.NumThreads;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{source}: ONNX Runtime cannot load the model ({e.Message})");
        }
        if (session.InputNames.Count != 1 || session.OutputNames.Count != 1)
        {
            session.Dispose();
            throw new InvalidDataException($"{source}: the graph has {session.InputNames.Count} inputs and {session.OutputNames.Count} outputs; a U-Net has one of each");
        }
        (inputName, outputName) = (session.InputNames[0], session.OutputNames[0]);
        runOptions = new RunOptions();
    }

    public InferenceEngineKind Kind => InferenceEngineKind.Onnx;
    public UNetConfig Network { get; }
    public Device Device => Device.Cpu;

    /// <summary>ONNX Runtime's intra-op threads: libtorch's count when the engine was made.</summary>
    public int Threads { get; }

    public Tensor Logits(Tensor batch)
    {
        if (batch.Dim != 4 || batch.Size(1) != Network.InChannels)
            throw new ArgumentException($"the U-Net expects a B×{Network.InChannels}×H×W input, got [{string.Join(", ", batch.Shape)}]");
        Network.CheckSize(batch.Size(2), batch.Size(3));
        float[] data;
        using (var prepared = batch.Float().Cpu().Contiguous()) data = prepared.ToArray<float>();
        using var input = OrtValue.CreateTensorValueFromMemory(data, batch.Shape);
        try
        {
            using var outputs = session.Run(runOptions, [inputName], [input], [outputName]);
            var logits = outputs[0];
            return Tensor.From(logits.GetTensorDataAsSpan<float>(), logits.GetTensorTypeAndShape().Shape);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"{source}: ONNX Runtime failed on a [{string.Join(", ", batch.Shape)}] batch ({e.Message})");
        }
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
