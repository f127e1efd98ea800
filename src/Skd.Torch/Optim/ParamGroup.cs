namespace Skd.Torch.Optim;

/// <summary>
/// Parameters that share a learning rate and a weight decay, as an entry of PyTorch's
/// <c>optimizer.param_groups</c>. An option left null here takes the optimiser's default when
/// the optimiser adopts the group.
/// </summary>
public sealed class ParamGroup
{
    private double? learningRate;
    private double? weightDecay;

    public ParamGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
    {
        Parameters = parameters.ToList();
        if (learningRate.HasValue) LearningRate = learningRate.Value;
        if (weightDecay.HasValue) WeightDecay = weightDecay.Value;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    public double LearningRate
    {
        get => learningRate ?? throw new InvalidOperationException("the group has no learning rate until an optimiser adopts it");
        set => learningRate = Validate.NonNegative(value, "learning rate");
    }

    public double WeightDecay
    {
        get => weightDecay ?? throw new InvalidOperationException("the group has no weight decay until an optimiser adopts it");
        set => weightDecay = Validate.NonNegative(value, "weight decay");
    }

    /// <summary>Fills the options this group left unset with the optimiser's (validated) defaults.</summary>
    internal void Adopt(double defaultLearningRate, double defaultWeightDecay)
    {
        learningRate ??= defaultLearningRate;
        weightDecay ??= defaultWeightDecay;
    }
}
