using Skd.Torch;
using Skd.Torch.Nn;

namespace Skd.Export;

/// <summary>
/// A convolution followed by a batch norm in evaluation mode as one convolution:
/// s = γ / √(σ² + ε), W' = W · s (per output channel), b' = β + (b − μ) · s (b = 0 without a conv bias);
/// computed in double precision, stored as float32.
/// </summary>
public static class BatchNormFolding
{
    public static (float[] Weight, float[] Bias) Fold(Conv2d conv, BatchNorm2d norm)
    {
        using var scope = new DisposeScope();
        long outChannels = conv.Weight.Size(0);
        if (norm.RunningMean is null || norm.RunningVar is null)
            throw new InvalidOperationException("a batch norm without running statistics cannot be folded into a convolution");
        double[] weight = Values(conv.Weight), mean = Values(norm.RunningMean), variance = Values(norm.RunningVar);
        double[] gamma = norm.Weight is { } g ? Values(g) : Enumerable.Repeat(1.0, (int)outChannels).ToArray();
        double[] beta = norm.Bias is { } b ? Values(b) : new double[outChannels];
        double[] convBias = conv.Bias is { } cb ? Values(cb) : new double[outChannels];
        if (mean.Length != outChannels)
            throw new ArgumentException($"a batch norm of {mean.Length} channels cannot follow a convolution of {outChannels}");
        long perChannel = weight.Length / outChannels;
        var foldedWeight = new float[weight.Length];
        var foldedBias = new float[outChannels];
        for (long c = 0; c < outChannels; c++)
        {
            double scale = gamma[c] / Math.Sqrt(variance[c] + norm.Eps);
            for (long k = 0; k < perChannel; k++) foldedWeight[c * perChannel + k] = (float)(weight[c * perChannel + k] * scale);
            foldedBias[c] = (float)(beta[c] + (convBias[c] - mean[c]) * scale);
        }
        return (foldedWeight, foldedBias);
    }

    private static double[] Values(Tensor t) => t.Double().Cpu().Contiguous().ToArray<double>();
}
