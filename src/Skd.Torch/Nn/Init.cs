namespace Skd.Torch.Nn;

/// <summary>Weight initialisation as torch.nn.init: same formulas, same random-number order.</summary>
public static class Init
{
    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (torch.nn.init._calculate_fan_in_and_fan_out).</summary>
    public static (long FanIn, long FanOut) FanInFanOut(Tensor weight)
    {
        var s = weight.Shape;
        if (s.Length < 2) throw new TorchShapeException("fan in and fan out need a tensor of at least 2 dimensions");
        long receptive = 1;
        for (int i = 2; i < s.Length; i++) receptive *= s[i];
        return (s[1] * receptive, s[0] * receptive);
    }

    /// <summary>Recommended gain: 1 for linear/conv/sigmoid, √2 for relu, √(2/(1+a²)) for leaky_relu.</summary>
    public static double Gain(string nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        "linear" or "conv2d" or "sigmoid" or "conv_transpose2d" => 1.0,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope)),
        _ => throw new ArgumentException($"unknown nonlinearity '{nonlinearity}'"),
    };

    /// <summary>U(−b, b) with b = gain·√(3/fan_in) (He et al. 2015), torch.nn.init.kaiming_uniform_ with mode fan_in.</summary>
    public static Tensor KaimingUniform_(Tensor weight, double a = 0, string nonlinearity = "leaky_relu")
    {
        double std = Gain(nonlinearity, a) / Math.Sqrt(FanInFanOut(weight).FanIn);
        double bound = Math.Sqrt(3.0) * std;
        return weight.Uniform_(-bound, bound);
    }

    /// <summary>N(0, std²) with std = gain/√fan_in, torch.nn.init.kaiming_normal_ with mode fan_in.</summary>
    public static Tensor KaimingNormal_(Tensor weight, double a = 0, string nonlinearity = "leaky_relu") =>
        weight.Normal_(0, Gain(nonlinearity, a) / Math.Sqrt(FanInFanOut(weight).FanIn));

    /// <summary>U(−b, b) with b = gain·√(6/(fan_in + fan_out)) (Glorot &amp; Bengio 2010).</summary>
    public static Tensor XavierUniform_(Tensor weight, double gain = 1)
    {
        var (fanIn, fanOut) = FanInFanOut(weight);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return weight.Uniform_(-bound, bound);
    }

    /// <summary>
    /// PyTorch's default for Conv and Linear layers: weight by kaiming_uniform_(a=√5), i.e.
    /// U(−1/√fan_in, 1/√fan_in), then the bias from the same range.
    /// </summary>
    public static void DefaultLayerInit(Tensor weight, Tensor? bias)
    {
        KaimingUniform_(weight, Math.Sqrt(5));
        if (bias is null) return;
        long fanIn = FanInFanOut(weight).FanIn;
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        bias.Uniform_(-bound, bound);
    }
}
