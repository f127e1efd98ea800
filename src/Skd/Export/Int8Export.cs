using Google.Protobuf;
using Onnx;

namespace Skd.Export;

/// <summary>
/// <c>skd export --int8 --calibrate DATA</c>: the float32 export quantised statically (<see cref="QdqQuantizer"/>) with
/// activation ranges measured by ONNX Runtime over a sample of DATA's training images (<see cref="ActivationCalibrator"/>,
/// <see cref="CalibrationImages"/>), then compared with the float32 model on DATA's test split (<see cref="Int8Comparison"/>),
/// whose figures go into the file's metadata beside how it was quantised.
/// </summary>
public static class Int8Export
{
    /// <summary>The metadata key that says how the file was quantised (absent from float32 exports).</summary>
    public const string QuantizationKey = "quantization";

    /// <summary>The default number of calibration images.</summary>
    public const int DefaultCalibrationImages = 32;

    /// <summary>The int8 model and its comparison with <paramref name="float32"/> (an export of <see cref="UNetOnnxExporter"/>, batch norms folded).</summary>
    /// <exception cref="ArgumentException">The dataset has no training or test cases, or other classes than the model.</exception>
    public static (ModelProto Model, Int8Comparison Comparison) Quantize(ModelProto float32, ModelInfo info, SegmentationDataset dataset, int calibrationImages = DefaultCalibrationImages)
    {
        if (dataset.ClassCount != info.Network.Classes)
            throw new ArgumentException($"{dataset.Description.Root}: the dataset has {dataset.ClassCount} classes, the model {info.Network.Classes}; calibrate on the data the model was trained on");
        var test = dataset.Split("test");
        if (test.Count == 0) throw new ArgumentException($"{dataset.Description.Root}: its test split has no cases to compare the int8 model with float32 on");
        var images = CalibrationImages.Sample(dataset, info, calibrationImages);
        ActivationRanges ranges;
        try
        {
            ranges = ActivationCalibrator.Measure(float32, images);
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
        var int8 = QdqQuantizer.Quantize(float32, ranges);
        var settings = DatasetProtocol.Of(dataset).Evaluation();
        using var float32Predictor = new Predictor(new OnnxRuntimeEngine(float32.ToByteArray(), info.Network, "the float32 model"), info, settings.Inference, "the float32 model");
        using var int8Predictor = new Predictor(new OnnxRuntimeEngine(int8.ToByteArray(), info.Network, "the int8 model"), info, settings.Inference, "the int8 model");
        var comparison = Int8Comparison.Run(dataset, test, float32Predictor, int8Predictor, settings);
        string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        OnnxModelMetadata.Set(int8, QuantizationKey,
            $"static int8, QDQ: Conv and ConvTranspose weights int8 symmetric per output channel, biases int32, activations uint8 asymmetric " +
            $"(min/max over {ranges.Images} training image(s) of {Path.GetFileName(dataset.Description.Root)})");
        OnnxModelMetadata.Set(int8, "int8.test_cases", comparison.Cases.ToString(CultureInfo.InvariantCulture));
        OnnxModelMetadata.Set(int8, "int8.test_dice", Invariant(comparison.Int8Dice));
        OnnxModelMetadata.Set(int8, "int8.float32_test_dice", Invariant(comparison.Float32Dice));
        OnnxModelMetadata.Set(int8, "int8.dice_against_float32", Invariant(comparison.DiceAgainstFloat32));
        OnnxModelMetadata.Set(int8, "int8.pixel_agreement", Invariant(comparison.Agreement));
        return (int8, comparison);
    }
}
