namespace Skd.Export;

/// <summary>The smallest and largest value an activation took over the calibration images.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>This range widened to take <paramref name="values"/>.</summary>
    public ActivationRange Including(ReadOnlySpan<float> values)
    {
        float min = Min, max = Max;
        foreach (float v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new ActivationRange(min, max);
    }

    public static readonly ActivationRange Empty = new(float.PositiveInfinity, float.NegativeInfinity);
}

/// <summary>
/// The ranges of a graph's activations measured by <see cref="ActivationCalibrator"/> (min/max calibration, as
/// ONNX Runtime's quantize_static does by default), by value name, and how many images they were measured on.
/// </summary>
public sealed record ActivationRanges(IReadOnlyDictionary<string, ActivationRange> Ranges, int Images)
{
    /// <summary>The range of <paramref name="name"/>; an InvalidOperationException when it was not measured.</summary>
    public ActivationRange Of(string name) =>
        Ranges.TryGetValue(name, out var range) ? range : throw new InvalidOperationException($"no calibration range for the activation '{name}'");
}

/// <summary>
/// An activation quantised to uint8, asymmetric: q = clamp(round(x / Scale) + ZeroPoint, 0, 255), x ≈ (q − ZeroPoint)·Scale.
/// The range always holds 0 (exactly representable, as padding and ReLU need); a ReLU's output (min 0) gets zero point 0,
/// which lets ONNX Runtime drop the ReLU into the QuantizeLinear after it.
/// </summary>
public readonly record struct UInt8Quantization(float Scale, byte ZeroPoint)
{
    /// <summary>ONNX Runtime's MinMax parameters of <paramref name="range"/> (onnxruntime.quantization.quant_utils.compute_scale_zp).</summary>
    public static UInt8Quantization Of(ActivationRange range)
    {
        if (!float.IsFinite(range.Min) || !float.IsFinite(range.Max))
            throw new InvalidOperationException($"an activation ranged over [{range.Min}, {range.Max}] on the calibration images; it cannot be quantised");
        float min = Math.Min(range.Min, 0), max = Math.Max(range.Max, 0);
        float scale = (max - min) / byte.MaxValue;
        if (scale == 0) return new UInt8Quantization(1, 0);
        return new UInt8Quantization(scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0, byte.MaxValue));
    }
}
