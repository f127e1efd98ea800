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

    /// <summary>
    /// Folds, in place, every batch norm in evaluation mode that directly follows a convolution in a <see cref="Sequential"/>
    /// of <paramref name="network"/>: the convolution becomes one with the folded weight and bias of <see cref="Fold"/>
    /// (on its device, in its memory format) and the batch norm an <see cref="Identity"/>. The network computes the same
    /// function in evaluation mode with one pass over each activation fewer; its state dict loses the folded batch norms.
    /// Returns how many pairs were folded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is in training mode (its batch norms use batch statistics).</exception>
    public static int FoldInPlace(Module network)
    {
        if (network.Training) throw new InvalidOperationException("batch norm folds into a convolution in evaluation mode only (call Eval() first)");
        using var scope = new DisposeScope();
        int folded = 0;
        foreach (var sequential in network.NamedModules().Select(m => m.Module).OfType<Sequential>().ToList())
            for (int i = 0; i + 1 < sequential.Count; i++)
                if (sequential[i] is Conv2d conv && sequential[i + 1] is BatchNorm2d norm)
                {
                    var (weight, bias) = Fold(conv, norm);
                    var (device, dtype) = (conv.Weight.Device, conv.Weight.DType);
                    sequential.Replace(i, Conv2d.WithWeights(conv,
                        DisposeScope.Detach(Tensor.From(weight, conv.Weight.Shape).To(device, dtype)), DisposeScope.Detach(Tensor.From(bias).To(device, dtype))));
                    sequential.Replace(i + 1, new Identity());
                    folded++;
                }
        return folded;
    }

    private static double[] Values(Tensor t) => t.Double().Cpu().Contiguous().ToArray<double>();
}
