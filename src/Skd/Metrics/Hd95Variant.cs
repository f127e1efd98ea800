namespace Skd.Metrics;

/// <summary>How HD95 combines the two directed sets of surface distances (never mixed).</summary>
public enum Hd95Variant
{
    /// <summary>
    /// medpy.metric.binary.hd95 (TransUNet's metric):
    /// <c>numpy.percentile(numpy.hstack((d(A→B), d(B→A))), 95)</c>, the pooled distances.
    /// </summary>
    Medpy,

    /// <summary>
    /// MONAI's compute_hausdorff_distance(percentile=95, directed=False):
    /// <c>max(percentile(d(A→B), 95), percentile(d(B→A), 95))</c>.
    /// </summary>
    Monai,
}
