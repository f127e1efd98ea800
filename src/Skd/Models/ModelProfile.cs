namespace Skd.Models;

/// <summary>
/// One part of a network (a stage, a head) for one image: its output shape (C, H, W), its
/// parameters and its multiply-accumulates. <see cref="TrainingOnly"/> marks parts used in training
/// and dropped at deployment (a method's auxiliary heads, reconstruction modules, temperature module).
/// </summary>
public sealed record ProfileRow(string Name, IReadOnlyList<long> OutputShape, long Parameters, long Macs, bool TrainingOnly = false)
{
    /// <summary>The row of a part measured in a <see cref="CostWalk"/> on a batch of one image: its output shape without the batch axis.</summary>
    public static ProfileRow Of(string name, Measured<IReadOnlyList<long>> part) => new(name, part.Output.Skip(1).ToList(), part.Parameters, part.Macs);
}

/// <summary>
/// Parameters and multiply-accumulates (MACs) of a network for one image, part by part, from a
/// <see cref="CostWalk"/> of its module tree (each layer type states its cost for an input shape;
/// the convention is the walk's, fvcore's). No tensor is run.
/// </summary>
public sealed record ModelProfile(IReadOnlyList<ProfileRow> Rows)
{
    /// <summary>Parameters of the deployed network (the rows not marked training-only).</summary>
    public long Parameters => Rows.Where(r => !r.TrainingOnly).Sum(r => r.Parameters);

    /// <summary>MACs of the deployed network for one image.</summary>
    public long Macs => Rows.Where(r => !r.TrainingOnly).Sum(r => r.Macs);

    /// <summary>Parameters trained: every row, training-only parts included.</summary>
    public long TrainingParameters => Rows.Sum(r => r.Parameters);

    /// <summary>MACs of one image's forward pass in training: every row.</summary>
    public long TrainingMacs => Rows.Sum(r => r.Macs);

    /// <summary>A count with a unit, for tables: 950, 37.50 K, 31.04 M, 41.91 G, 1.20 T.</summary>
    public static string Human(long n)
    {
        string[] units = ["", " K", " M", " G", " T"];
        int unit = 0;
        double value = n;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1) (value, unit) = (value / 1000, unit + 1);
        return unit == 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + units[unit];
    }
}
