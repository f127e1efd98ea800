namespace Skd.Torch.Optim;

/// <summary>Argument checks shared by the optimisers and schedules (ArgumentException, as PyTorch's ValueError).</summary>
internal static class Validate
{
    public static double NonNegative(double value, string what) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentException($"invalid {what}: {value} (must be finite and ≥ 0)");

    public static long Positive(long value, string what) =>
        value > 0 ? value : throw new ArgumentException($"invalid {what}: {value} (must be > 0)");
}
