namespace Skd.Metrics;

/// <summary>
/// The 1-D lines along one axis of a row-major array of <c>shape</c>: line i starts at
/// <see cref="Start"/>(i) and visits <see cref="Length"/> elements <see cref="Stride"/> apart.
/// </summary>
internal readonly struct AxisLines
{
    private readonly int inner;

    public AxisLines(int[] shape, int axis)
    {
        inner = 1;
        for (int a = axis + 1; a < shape.Length; a++) inner *= shape[a];
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= shape[a];
        Length = shape[axis];
        Stride = inner;
        Count = outer * inner;
    }

    public int Count { get; }
    public int Length { get; }
    public int Stride { get; }

    public int Start(int line) => line / inner * Length * inner + line % inner;

    /// <summary>Throws unless <paramref name="length"/> elements fill <paramref name="shape"/> exactly.</summary>
    public static void CheckShape(int length, int[] shape)
    {
        long count = 1;
        foreach (int s in shape) count *= s;
        if (shape.Length == 0 || shape.Any(s => s < 0) || count != length)
            throw new ArgumentException($"{length} elements do not fill shape [{string.Join(", ", shape)}]");
    }
}
