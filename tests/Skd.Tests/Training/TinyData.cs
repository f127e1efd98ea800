namespace Skd.Tests.Training;

/// <summary>Tiny generated datasets and a config that trains on them in about a second.</summary>
internal static class TinyData
{
    /// <summary>14 vessel images of 32×32: 9 train, 1 validation, 4 test (binary).</summary>
    public static string Vessels(string root)
    {
        string dir = Path.Combine(root, "vessels");
        VesselGenerator.Write(dir, 14, 32, seed: 3);
        return dir;
    }

    /// <summary>2 organ volumes of 4 slices of 32×32 (6 classes, multi-class).</summary>
    public static string Organs(string root)
    {
        string dir = Path.Combine(root, "organs");
        OrganGenerator.Write(dir, 2, 32, 4, seed: 3);
        return dir;
    }

    /// <summary>A U-Net of width 4 and depth 2 on 32×32 images, batches of 4, loading on the training thread.</summary>
    public static TrainConfig Config(string data, int epochs) =>
        TrainConfig.For(data) with { Width = 4, Depth = 2, Size = 32, Epochs = epochs, Batch = 4, Workers = 0 };
}
