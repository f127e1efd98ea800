using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Skd.Export;

/// <summary>
/// Measures the ranges of the activations <see cref="QdqQuantizer"/> quantises: the float32 graph, with those activations
/// exposed as extra graph outputs, run by ONNX Runtime (the engine the quantised graph will run in, so the activations are
/// the ones it computes) over the calibration images; each activation's min and max over all of them.
/// </summary>
public static class ActivationCalibrator
{
    /// <param name="model">The float32 graph (<see cref="UNetOnnxExporter"/>) with one input.</param>
    /// <param name="images">Batches prepared as the model's input (<see cref="CalibrationImages"/>).</param>
    /// <exception cref="ArgumentException">No images.</exception>
    public static ActivationRanges Measure(ModelProto model, IEnumerable<Tensor> images)
    {
        var names = QdqQuantizer.CalibratedActivations(model.Graph);
        var probe = new ModelProto(model);
        var outputs = probe.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !outputs.Contains(n)))
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        using var options = new SessionOptions { IntraOpNumThreads = torch.NumThreads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        string input = session.InputNames.Single();
        var ranges = names.ToDictionary(n => n, _ => ActivationRange.Empty, StringComparer.Ordinal);
        using var run = new RunOptions();
        int count = 0;
        foreach (var batch in images)
        {
            float[] data;
            using (var prepared = batch.Float().Cpu().Contiguous()) data = prepared.ToArray<float>();
            using var value = OrtValue.CreateTensorValueFromMemory(data, batch.Shape);
            using var results = session.Run(run, [input], [value], names.ToArray());
            for (int i = 0; i < names.Count; i++) ranges[names[i]] = ranges[names[i]].Including(results[i].GetTensorDataAsSpan<float>());
            count += (int)batch.Size(0);
        }
        if (count == 0) throw new ArgumentException("no calibration images");
        return new ActivationRanges(ranges, count);
    }
}
