namespace Skd.Metrics;

/// <summary>
/// HD95 of two binary masks exactly as medpy.metric.binary.hd95 computes it (methods.md §4):
/// <code>
/// surface(M) = M XOR binary_erosion(M, generate_binary_structure(ndim, 1))   # border_value 0
/// d(A→B)     = distance_transform_edt(~surface(B), sampling=spacing)[surface(A)]
/// HD95       = numpy.percentile(numpy.hstack((d(A→B), d(B→A))), 95)        # linear
/// </code>
/// in physical units (unit spacing if none), with an exact Euclidean distance transform; or
/// MONAI's variant (<see cref="Hd95Variant.Monai"/>). Where medpy raises because a mask is
/// empty, this returns NaN (<see cref="EmptyMaskPolicy"/> decides what an empty class scores).
/// Distances are computed inside the bounding box of both masks, which changes no value.
/// </summary>
public static class HausdorffDistance95
{
    /// <summary>HD95 of the non-zero elements of two tensors of one shape (any dtype and device).</summary>
    public static double Compute(Tensor a, Tensor b, double[]? spacing = null, Hd95Variant variant = Hd95Variant.Medpy)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"masks of shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] differ");
        using var ma = NonZero(a);
        using var mb = NonZero(b);
        return Compute(ma.ToArray<bool>(), mb.ToArray<bool>(), a.Shape.Select(s => checked((int)s)).ToArray(), spacing, variant);
    }

    // Ne(0) on a bool tensor would first promote it to int64 (PyTorch's rule for bool vs an int scalar).
    private static Tensor NonZero(Tensor t) => t.DType == DType.Bool ? t.Alias() : t.Ne(0);

    /// <summary>HD95 of two row-major masks of <paramref name="shape"/>.</summary>
    public static double Compute(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, int[] shape, double[]? spacing = null, Hd95Variant variant = Hd95Variant.Medpy)
    {
        AxisLines.CheckShape(a.Length, shape);
        AxisLines.CheckShape(b.Length, shape);
        if (spacing != null && spacing.Length != shape.Length)
            throw new ArgumentException($"{spacing.Length} spacings for {shape.Length} dimensions");
        var box = MaskBox.Around(a, b, shape);
        if (box == null) return double.NaN;
        var surfaceA = MaskSurface.Extract(box.Crop(a, shape), box.Size);
        var surfaceB = MaskSurface.Extract(box.Crop(b, shape), box.Size);
        var buffer = new double[surfaceA.Length];
        var ab = Directed(surfaceA, surfaceB, box.Size, spacing, buffer);
        var ba = Directed(surfaceB, surfaceA, box.Size, spacing, buffer);
        return variant == Hd95Variant.Medpy
            ? Percentile.Linear([.. ab, .. ba], 95)
            : Math.Max(Percentile.Linear(ab, 95), Percentile.Linear(ba, 95));
    }

    /// <summary>
    /// For each true element of <paramref name="from"/>, the distance to the nearest true element
    /// of <paramref name="to"/>: medpy's distance_transform_edt(~to, sampling)[from].
    /// </summary>
    private static double[] Directed(bool[] from, bool[] to, int[] shape, double[]? spacing, double[] buffer)
    {
        for (int i = 0; i < to.Length; i++) buffer[i] = to[i] ? 0 : double.PositiveInfinity;
        EuclideanDistanceTransform.SquaredInPlace(buffer, shape, spacing);
        var distances = new List<double>();
        for (int i = 0; i < from.Length; i++)
            if (from[i]) distances.Add(Math.Sqrt(buffer[i]));
        return distances.ToArray();
    }
}
