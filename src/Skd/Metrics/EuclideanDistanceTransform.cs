namespace Skd.Metrics;

/// <summary>
/// The exact Euclidean distance transform with scipy.ndimage.distance_transform_edt's semantics:
/// for each true element, the distance to the nearest false element, in physical units
/// <code>d(x) = min over false y of sqrt(Σ_i (s_i·(x_i − y_i))²)</code>
/// with voxel spacing s (scipy's <c>sampling</c>; 1 per axis if none); 0 at false elements, +∞
/// everywhere when no element is false (scipy then returns meaningless values). Computed exactly
/// by Felzenszwalb and Huttenlocher's separable algorithm (Theory of Computing 8, 2012): the
/// squared distance is minimised one axis at a time by the lower envelope of parabolas
/// s²(q − p)² + f(p), O(N) per axis.
/// </summary>
public static class EuclideanDistanceTransform
{
    /// <summary>Lines transformed together: a strided axis is read a cache line (8 doubles) at a time, twice over.</summary>
    private const int Tile = 16;

    public static double[] Compute(ReadOnlySpan<bool> input, int[] shape, double[]? spacing = null)
    {
        AxisLines.CheckShape(input.Length, shape);
        var d = new double[input.Length];
        for (int i = 0; i < d.Length; i++) d[i] = input[i] ? double.PositiveInfinity : 0;
        SquaredInPlace(d, shape, spacing);
        for (int i = 0; i < d.Length; i++) d[i] = Math.Sqrt(d[i]);
        return d;
    }

    /// <summary>
    /// Replaces f, 0 at the sites and +∞ elsewhere, by the squared distance to the nearest site
    /// (more generally, by min over y of f(y) + Σ_i (s_i·(x_i − y_i))²).
    /// </summary>
    public static void SquaredInPlace(double[] f, int[] shape, double[]? spacing = null)
    {
        AxisLines.CheckShape(f.Length, shape);
        if (spacing != null && spacing.Length != shape.Length)
            throw new ArgumentException($"{spacing.Length} spacings for {shape.Length} dimensions");
        if (spacing != null && spacing.Any(s => !(s > 0 && double.IsFinite(s))))
            throw new ArgumentException($"spacings must be positive, got [{string.Join(", ", spacing)}]");
        for (int axis = 0; axis < shape.Length; axis++)
        {
            double s = spacing?[axis] ?? 1;
            TransformAxis(f, new AxisLines(shape, axis), s * s);
        }
    }

    /// <summary>Transforms every line along one axis, <see cref="Tile"/> neighbouring lines per task.</summary>
    private static void TransformAxis(double[] f, AxisLines lines, double weight)
    {
        int n = lines.Length, stride = lines.Stride, width = Math.Min(Tile, stride);
        int tilesPerRow = (stride + width - 1) / width;
        Parallel.For(0, lines.Count / stride * tilesPerRow, () => new LineBuffers(n, width), (tile, _, b) =>
        {
            int first = tile / tilesPerRow * stride + tile % tilesPerRow * width;
            int start = lines.Start(first), lineCount = Math.Min(width, stride - tile % tilesPerRow * width);
            for (int q = 0; q < n; q++)
                for (int j = 0; j < lineCount; j++) b.Values[j * n + q] = f[start + q * stride + j];
            for (int j = 0; j < lineCount; j++) LowerEnvelope(b, j * n, n, weight);
            for (int q = 0; q < n; q++)
                for (int j = 0; j < lineCount; j++) f[start + q * stride + j] = b.Result[j * n + q];
            return b;
        }, _ => { });
    }

    /// <summary>Result[q] = min_p weight·(q − p)² + Values[p] over the finite Values of one line (FH's Algorithm 1).</summary>
    private static void LowerEnvelope(LineBuffers b, int offset, int n, double weight)
    {
        var f = b.Values.AsSpan(offset, n);
        var result = b.Result.AsSpan(offset, n);
        double[] z = b.Boundaries;
        int[] v = b.Parabolas;
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            double s = double.NegativeInfinity;
            while (k >= 0)
            {
                int p = v[k];
                s = (f[q] + weight * q * q - (f[p] + weight * p * p)) / (2 * weight * (q - p));
                if (s > z[k]) break;
                k--;
            }
            if (k < 0) s = double.NegativeInfinity;
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }
        if (k < 0)
        {
            result.Fill(double.PositiveInfinity);
            return;
        }
        k = 0;
        for (int q = 0; q < n; q++)
        {
            while (z[k + 1] < q) k++;
            double dq = q - v[k];
            result[q] = weight * dq * dq + f[v[k]];
        }
    }

    private sealed class LineBuffers(int n, int lines)
    {
        public readonly double[] Values = new double[n * lines], Result = new double[n * lines], Boundaries = new double[n + 1];
        public readonly int[] Parabolas = new int[n];
    }
}
