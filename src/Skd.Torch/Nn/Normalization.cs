namespace Skd.Torch.Nn;

/// <summary>
/// Batch normalisation over (N, H, W) per channel, torch.nn.BatchNorm2d: y = (x − μ)/√(σ² + ε)·γ + β,
/// batch statistics in training (running averages updated with <c>momentum</c>), running statistics in
/// evaluation. Buffers running_mean, running_var and num_batches_tracked, as in PyTorch's state dict.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>, IShapeTraced
{
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor? RunningMean { get; }
    public Tensor? RunningVar { get; }
    public Tensor? NumBatchesTracked { get; }
    public double Eps { get; }
    public double Momentum { get; }

    public BatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        (Eps, Momentum) = (eps, momentum);
        if (affine)
        {
            Weight = RegisterParameter("weight", torch.Ones([numFeatures]));
            Bias = RegisterParameter("bias", torch.Zeros([numFeatures]));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", torch.Zeros([numFeatures]));
            RunningVar = RegisterBuffer("running_var", torch.Ones([numFeatures]));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", torch.Zeros([], DType.Int64));
        }
    }

    public override Tensor Forward(Tensor input)
    {
        if (input.Dim != 4) throw new TorchShapeException($"BatchNorm2d expects a 4-D (N, C, H, W) input, got shape [{string.Join(", ", input.Shape)}]");
        bool useBatchStats = Training || RunningMean is null;
        if (Training && NumBatchesTracked is not null)
            using (torch.NoGrad()) NumBatchesTracked.Add_(1);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatchStats, Momentum, Eps);
    }

    /// <summary>The input's shape; γ and β, no MACs (foldable into the preceding convolution).</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => LayerCosts.ParametersOnly(walk, this, input);
}

/// <summary>Group normalisation (Wu &amp; He 2018), torch.nn.GroupNorm: statistics over each group of channels and the spatial dims.</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>, IShapeTraced
{
    public long NumGroups { get; }
    public double Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true)
    {
        if (numChannels % numGroups != 0) throw new ArgumentException($"{numChannels} channels cannot be split into {numGroups} groups");
        (NumGroups, Eps) = (numGroups, eps);
        if (affine)
        {
            Weight = RegisterParameter("weight", torch.Ones([numChannels]));
            Bias = RegisterParameter("bias", torch.Zeros([numChannels]));
        }
    }

    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);

    /// <summary>The input's shape; γ and β, no MACs.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => LayerCosts.ParametersOnly(walk, this, input);
}
