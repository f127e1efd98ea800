namespace Skd.Training;

/// <summary>
/// The optimisers of one run: the config's optimiser over the method's trainable parameters, and
/// one SGD per group the method trains on its own (<see cref="SegmentationMethod.OwnParamGroups"/>).
/// Stepping, zeroing, the schedule and the state dict go through here, so every group is treated
/// alike. State-dict keys: the run optimiser's as <see cref="Optimizer.StateDict"/> writes them
/// (a run without own groups keeps the plain layout), each own group's under <c>groups.{name}.</c>.
/// </summary>
internal sealed class RunOptimizer : IDisposable
{
    private const string GroupPrefix = "groups.";

    private readonly Optimizer main;
    private readonly List<(SgdParamGroup Group, SGD Optimizer)> own = [];
    private readonly double baseLr;

    public RunOptimizer(TrainConfig config, SegmentationMethod method)
    {
        var groups = method.OwnParamGroups();
        var separate = groups.SelectMany(g => g.Parameters).ToHashSet(ReferenceEqualityComparer.Instance);
        var parameters = method.TrainableParameters().Where(p => !separate.Contains(p)).ToList();
        baseLr = config.Lr;
        main = config.Optimizer switch
        {
            "sgd" => new SGD(parameters, config.Lr, momentum: config.Momentum, weightDecay: config.WeightDecay),
            "adam" => new Adam(parameters, config.Lr, weightDecay: config.WeightDecay),
            _ => new AdamW(parameters, config.Lr, weightDecay: config.WeightDecay),
        };
        foreach (var group in groups)
            own.Add((group, new SGD(group.Parameters, group.LearningRate, momentum: group.Momentum, weightDecay: group.WeightDecay)));
    }

    /// <summary>The run optimiser's learning rate.</summary>
    public double LearningRate => main.LearningRate;

    /// <summary>
    /// Sets the run optimiser's rate to <paramref name="schedule"/>'s value at <paramref name="step"/>
    /// and scales each own group's rate by the same factor; returns the run's rate.
    /// </summary>
    public double ApplySchedule(ILearningRateSchedule schedule, long step)
    {
        double lr = main.ApplySchedule(schedule, step);
        double factor = baseLr > 0 ? lr / baseLr : 1;
        foreach (var (group, optimizer) in own) optimizer.LearningRate = group.LearningRate * factor;
        return lr;
    }

    public void ZeroGrad()
    {
        main.ZeroGrad();
        foreach (var (_, optimizer) in own) optimizer.ZeroGrad();
    }

    public void Step()
    {
        main.Step();
        foreach (var (_, optimizer) in own) optimizer.Step();
    }

    /// <summary>Every optimiser's state, the own groups' under <c>groups.{name}.</c>; the caller owns the tensors.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = main.StateDict().ToDictionary();
        foreach (var (group, optimizer) in own)
            foreach (var (key, value) in optimizer.StateDict()) dict[$"{GroupPrefix}{group.Name}.{key}"] = value;
        return dict;
    }

    /// <summary>Restores a <see cref="StateDict"/>; an entry that fits no optimiser throws <see cref="ArgumentException"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        foreach (var key in stateDict.Keys.Where(k => k.StartsWith(GroupPrefix, StringComparison.Ordinal)))
            if (own.All(o => !key.StartsWith($"{GroupPrefix}{o.Group.Name}.", StringComparison.Ordinal)))
                throw new ArgumentException($"optimizer state entry '{key}' belongs to no parameter group of this method");
        main.LoadStateDict(stateDict.Where(kv => !kv.Key.StartsWith(GroupPrefix, StringComparison.Ordinal)).ToDictionary());
        foreach (var (group, optimizer) in own)
        {
            string prefix = $"{GroupPrefix}{group.Name}.";
            optimizer.LoadStateDict(stateDict.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
        }
    }

    public void Dispose()
    {
        main.Dispose();
        foreach (var (_, optimizer) in own) optimizer.Dispose();
    }
}
