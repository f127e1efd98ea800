namespace Skd.Metrics;

/// <summary>The checks and the conversion the metrics share for a pair of integer label maps.</summary>
internal static class LabelMaps
{
    /// <summary>Same shape, H×W or D×H×W, integer (or bool) class ids.</summary>
    public static void Validate(Tensor prediction, Tensor label)
    {
        if (!prediction.Shape.SequenceEqual(label.Shape))
            throw new ArgumentException($"prediction [{string.Join(", ", prediction.Shape)}] and label [{string.Join(", ", label.Shape)}] differ in shape");
        if (prediction.Dim is not (2 or 3))
            throw new ArgumentException($"label maps are H×W or D×H×W, got {prediction.Dim} dimensions");
        foreach (var (name, t) in new[] { ("prediction", prediction), ("label", label) })
            if (t.DType.IsFloatingPoint()) throw new ArgumentException($"the {name} must hold integer class ids, not {t.DType.Name()}");
    }

    /// <summary>The map as a contiguous CPU int64 tensor (the same one when it already is), for <c>AsSpan&lt;long&gt;()</c>.</summary>
    public static Tensor ToCpuInt64(Tensor map)
    {
        using var converted = map.To(Device.Cpu, DType.Int64);
        return converted.Contiguous();
    }
}
