namespace Skd.Evaluation;

/// <summary>
/// The units of HD95: voxels (the default, and TransUNet's), the millimetres of each case's own
/// files (NIfTI pixdim), or millimetres given for every case. Spacings are given and stored in the
/// files' order (x, y[, z]: columns, rows, slices, as NIfTI's pixdim and ITK) and turned into the
/// label map's axis order ((rows, columns) or (slices, rows, columns)) for the metrics.
/// </summary>
public sealed record MetricSpacing
{
    private MetricSpacing(bool fromFiles, double[]? given) => (FromFiles, Given) = (fromFiles, given);

    /// <summary>HD95 in voxel units.</summary>
    public static readonly MetricSpacing Voxels = new(false, null);

    /// <summary>HD95 in the millimetres of each case's files.</summary>
    public static readonly MetricSpacing Files = new(true, null);

    /// <summary>HD95 in millimetres with these spacings, x y or x y z.</summary>
    public static MetricSpacing Of(IReadOnlyList<double> xyz)
    {
        if (xyz.Count is not (2 or 3)) throw new ArgumentException($"a spacing is 2 or 3 numbers (x y [z]), got {xyz.Count}");
        if (xyz.Any(s => !(s > 0) || double.IsInfinity(s))) throw new ArgumentException($"spacings must be positive, got {string.Join(" ", xyz)}");
        return new(false, [.. xyz]);
    }

    public bool FromFiles { get; }

    /// <summary>The spacing given for every case (x, y[, z]), or null.</summary>
    public double[]? Given { get; }

    /// <summary>
    /// The spacing per axis of a label map with <paramref name="dimensions"/> axes (2 or 3), in
    /// array order; null for voxel units. <paramref name="fileXyz"/> is the case's own (x, y, z).
    /// </summary>
    public double[]? ForLabelMap(int dimensions, IReadOnlyList<double> fileXyz, string caseId)
    {
        if (Given is null && !FromFiles) return null;
        var xyz = Given ?? fileXyz.ToArray();
        if (Given is not null && Given.Length != dimensions)
            throw new ArgumentException($"{caseId}: {Given.Length} spacings given for a {dimensions}-D label map (give x y for images, x y z for volumes)");
        return dimensions == 2 ? [xyz[1], xyz[0]] : [xyz[2], xyz[1], xyz[0]];
    }
}
