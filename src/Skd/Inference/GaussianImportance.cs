namespace Skd.Inference;

/// <summary>
/// The importance map that weights a window's logits when sliding windows are blended, as
/// nnU-Net's compute_gaussian (tile σ = 1/8 of the tile size, scaled to a maximum of 1) and MONAI's
/// compute_importance_map(mode="gaussian", sigma_scale=0.125):
/// <code>
/// w(i, j) = g_H(i) · g_W(j),   g_n(i) = exp(−(i − c)² / (2σ²)) / max_i(…),   c = (n − 1) / 2,   σ = n / 8
/// </code>
/// Written in closed form with the centre at (n − 1)/2, so the map is symmetric under flips
/// (nnU-Net filters a delta at n // 2 with scipy's truncated Gaussian, which shifts the peak half a
/// pixel for even n). Every weight is positive (about exp(−8) ≈ 3e−4 of the centre's in the middle of
/// an edge, exp(−16) ≈ 1e−7 in a corner), so every pixel a window covers gets weight, as nnU-Net
/// ensures by replacing zeros with the minimum.
/// </summary>
public static class GaussianImportance
{
    /// <summary>σ as a fraction of the window side (nnU-Net, MONAI: 1/8).</summary>
    public const double SigmaScale = 1.0 / 8;

    /// <summary>The (height, width) float32 map on the CPU.</summary>
    public static Tensor Map(long height, long width, double sigmaScale = SigmaScale)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"the window must be at least 1×1, got {height}×{width}");
        if (!(sigmaScale > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaScale), sigmaScale, "σ must be positive");
        using var scope = new DisposeScope();
        var rows = Tensor.From(Profile(height, sigmaScale), height, 1);
        var cols = Tensor.From(Profile(width, sigmaScale), 1, width);
        return scope.MoveToOuter(rows * cols);
    }

    private static float[] Profile(long n, double sigmaScale)
    {
        double centre = (n - 1) / 2.0, sigma = sigmaScale * n;
        var g = new double[n];
        for (long i = 0; i < n; i++) g[i] = Math.Exp(-(i - centre) * (i - centre) / (2 * sigma * sigma));
        double max = g.Max();
        return Array.ConvertAll(g, v => (float)(v / max));
    }
}
