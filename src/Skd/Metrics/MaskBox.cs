namespace Skd.Metrics;

/// <summary>
/// An axis-aligned box of a row-major array (Start and Size per axis). Surface distances
/// computed inside the box around both masks equal those over the whole array: every surface
/// voxel lies inside it, and voxels outside it are background either way.
/// </summary>
internal sealed record MaskBox(int[] Start, int[] Size)
{
    /// <summary>The smallest box holding every true element of a and b; null when either has none.</summary>
    public static MaskBox? Around(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, int[] shape)
    {
        if (a.IsEmpty || !a.Contains(true) || !b.Contains(true)) return null;
        int ndim = shape.Length, width = shape[^1];
        var min = Enumerable.Repeat(int.MaxValue, ndim).ToArray();
        var max = new int[ndim];
        var coords = new int[ndim];
        for (int row = 0, offset = 0; offset < a.Length; row++, offset += width)
        {
            var ra = a.Slice(offset, width);
            var rb = b.Slice(offset, width);
            int first = Math.Min(Index(ra.IndexOf(true)), Index(rb.IndexOf(true)));
            if (first == int.MaxValue) continue;
            coords[^1] = first;
            RowCoordinates(row, shape, coords);
            for (int i = 0; i < ndim; i++) min[i] = Math.Min(min[i], coords[i]);
            coords[^1] = Math.Max(ra.LastIndexOf(true), rb.LastIndexOf(true));
            for (int i = 0; i < ndim; i++) max[i] = Math.Max(max[i], coords[i]);
        }
        return new MaskBox(min, min.Select((m, i) => max[i] - m + 1).ToArray());
    }

    /// <summary>
    /// For every class k of two label maps (ids in 0..K−1), the smallest box holding the voxels
    /// of class k in either map, in one pass; null for a class neither map holds.
    /// </summary>
    public static MaskBox?[] PerClass(ReadOnlySpan<long> a, ReadOnlySpan<long> b, int[] shape, int numClasses)
    {
        int ndim = shape.Length, width = shape[^1];
        var min = new int[numClasses][];
        var max = new int[numClasses][];
        var first = new int[numClasses];
        var last = Enumerable.Repeat(-1, numClasses).ToArray();
        var seen = new List<int>();
        var coords = new int[ndim];
        for (int row = 0, offset = 0; offset < a.Length; row++, offset += width)
        {
            for (int x = 0; x < width; x++)
            {
                Note((int)a[offset + x], x);
                Note((int)b[offset + x], x);
            }
            RowCoordinates(row, shape, coords);
            foreach (int k in seen)
            {
                min[k] ??= Enumerable.Repeat(int.MaxValue, ndim).ToArray();
                max[k] ??= new int[ndim];
                coords[^1] = first[k];
                for (int i = 0; i < ndim; i++) min[k][i] = Math.Min(min[k][i], coords[i]);
                coords[^1] = last[k];
                for (int i = 0; i < ndim; i++) max[k][i] = Math.Max(max[k][i], coords[i]);
                last[k] = -1;
            }
            seen.Clear();
        }
        return min.Select((lo, k) => lo == null ? null : new MaskBox(lo, lo.Select((m, i) => max[k][i] - m + 1).ToArray())).ToArray();

        void Note(int k, int x)
        {
            if (last[k] < 0)
            {
                first[k] = x;
                seen.Add(k);
            }
            last[k] = x;
        }
    }

    /// <summary>The elements of <paramref name="source"/> (of <paramref name="shape"/>) inside the box, row-major.</summary>
    public T[] Crop<T>(ReadOnlySpan<T> source, int[] shape)
    {
        int ndim = shape.Length, width = Size[^1];
        var strides = new int[ndim];
        strides[^1] = 1;
        for (int i = ndim - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
        var result = new T[Size.Aggregate(1, (n, s) => n * s)];
        var coords = new int[ndim];
        for (int row = 0, offset = 0; offset < result.Length; row++, offset += width)
        {
            RowCoordinates(row, Size, coords);
            int start = Start[^1];
            for (int i = 0; i < ndim - 1; i++) start += (Start[i] + coords[i]) * strides[i];
            source.Slice(start, width).CopyTo(result.AsSpan(offset, width));
        }
        return result;
    }

    /// <summary>The coordinates of row <paramref name="row"/> (every axis but the last) in an array of <paramref name="shape"/>.</summary>
    private static void RowCoordinates(int row, int[] shape, int[] coords)
    {
        for (int i = shape.Length - 2; i >= 0; i--)
        {
            coords[i] = row % shape[i];
            row /= shape[i];
        }
    }

    private static int Index(int found) => found < 0 ? int.MaxValue : found;
}
