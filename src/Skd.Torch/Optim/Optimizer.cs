namespace Skd.Torch.Optim;

/// <summary>
/// Base of the optimisers, as <c>torch.optim.Optimizer</c>: parameters in groups (each with its
/// own learning rate and weight decay), a <see cref="ParameterState"/> per parameter, <see cref="Step"/>,
/// <see cref="ZeroGrad"/>, and a state dict from which a training run resumes exactly. Parameters
/// are numbered across groups in order (group 0's first), as in PyTorch's <c>state_dict()</c>.
/// The optimiser owns its state tensors (dispose it to free them), not the parameters.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> groups;
    private readonly (ParamGroup Group, Tensor Parameter, ParameterState State)[] entries;
    private bool disposed;

    protected Optimizer(IEnumerable<ParamGroup> paramGroups, double learningRate, double weightDecay)
    {
        Validate.NonNegative(learningRate, "learning rate");
        Validate.NonNegative(weightDecay, "weight decay");
        groups = paramGroups.ToList();
        entries = groups.SelectMany(g => g.Parameters.Select(p => (g, p, new ParameterState()))).ToArray();
        if (entries.Length == 0) throw new ArgumentException("the optimiser got an empty parameter list");
        if (entries.Select(e => e.Parameter).Distinct(ReferenceEqualityComparer.Instance).Count() != entries.Length)
            throw new ArgumentException("some parameters appear more than once in the parameter groups");
        foreach (var g in groups) g.Adopt(learningRate, weightDecay);
    }

    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>The first group's learning rate; setting it sets every group's (what a schedule does).</summary>
    public double LearningRate
    {
        get => groups[0].LearningRate;
        set
        {
            Validate.NonNegative(value, "learning rate");
            foreach (var g in groups) g.LearningRate = value;
        }
    }

    /// <summary>Names of the state tensors this optimiser keeps per parameter (the keys <see cref="LoadStateDict"/> accepts).</summary>
    protected abstract IReadOnlyCollection<string> StateNames { get; }

    /// <summary>
    /// Updates <paramref name="parameter"/> in place from <paramref name="grad"/>. Runs without
    /// autograd, inside a dispose scope that frees every temporary; <paramref name="state"/>'s
    /// <see cref="ParameterState.Step"/> already counts this update.
    /// </summary>
    protected abstract void Update(Tensor parameter, Tensor grad, ParamGroup group, ParameterState state);

    /// <summary>One optimisation step over every parameter that has a gradient (the others are left alone).</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var noGrad = torch.NoGrad();
        using var scope = new DisposeScope();
        foreach (var (group, parameter, state) in entries)
        {
            if (parameter.Grad is not { } grad) continue;
            state.Step++;
            Update(parameter, grad, group, state);
        }
    }

    /// <summary>Clears every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var e in entries) e.Parameter.Grad = null;
    }

    /// <summary>
    /// A snapshot to resume from: <c>param_groups.{g}.lr</c> and <c>param_groups.{g}.weight_decay</c>
    /// (float64 scalars), and for each parameter i <c>state.{i}.step</c> (an int64 scalar) and
    /// <c>state.{i}.{name}</c> per state tensor. The tensors are copies created in the current
    /// dispose scope: the caller owns them.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var dict = new Dictionary<string, Tensor>();
        for (int g = 0; g < groups.Count; g++)
        {
            dict[$"param_groups.{g}.lr"] = Tensor.Scalar(groups[g].LearningRate);
            dict[$"param_groups.{g}.weight_decay"] = Tensor.Scalar(groups[g].WeightDecay);
        }
        for (int i = 0; i < entries.Length; i++)
        {
            var state = entries[i].State;
            dict[$"state.{i}.step"] = Tensor.Scalar(state.Step);
            foreach (var (name, tensor) in state.Tensors) dict[$"state.{i}.{name}"] = tensor.Clone();
        }
        return dict;
    }

    /// <summary>
    /// Restores a <see cref="StateDict"/>: every group's options and every parameter's state (copied
    /// into tensors of the parameter's dtype and device; a parameter without entries starts afresh).
    /// A key this optimiser does not know, a missing group option or a state tensor whose shape
    /// differs from its parameter's throws <see cref="ArgumentException"/> and changes nothing.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var (key, value) in stateDict) CheckEntry(key, value);
        for (int g = 0; g < groups.Count; g++)
            foreach (var option in new[] { "lr", "weight_decay" })
                if (!stateDict.ContainsKey($"param_groups.{g}.{option}"))
                    throw new ArgumentException($"the state dict has no param_groups.{g}.{option}");

        using var noGrad = torch.NoGrad();
        foreach (var e in entries) e.State.Dispose();
        foreach (var (key, value) in stateDict)
        {
            var (section, index, name) = ParseKey(key);
            if (section == "param_groups" && name == "lr") groups[index].LearningRate = value.Item();
            else if (section == "param_groups") groups[index].WeightDecay = value.Item();
            else if (name == "step") entries[index].State.Step = (long)value.Item();
            else entries[index].State.Set(name, torch.ZerosLike(entries[index].Parameter).Copy_(value));
        }
    }

    private void CheckEntry(string key, Tensor value)
    {
        static bool NonNegativeScalar(Tensor t) => t.NumElements == 1 && double.IsFinite(t.Item()) && t.Item() >= 0;
        var (section, index, name) = ParseKey(key);
        bool fits = section switch
        {
            "param_groups" => index < groups.Count && name is "lr" or "weight_decay" && NonNegativeScalar(value),
            "state" => index < entries.Length && (name == "step"
                ? NonNegativeScalar(value)
                : StateNames.Contains(name) && value.Shape.SequenceEqual(entries[index].Parameter.Shape)),
            _ => false,
        };
        if (!fits)
            throw new ArgumentException($"state dict entry '{key}' (shape [{string.Join(", ", value.Shape)}]) does not fit this {GetType().Name}");
    }

    /// <summary>Splits "section.index.name"; an unparsable key gives section "" (which nothing accepts).</summary>
    private static (string Section, int Index, string Name) ParseKey(string key)
    {
        string[] parts = key.Split('.');
        return parts.Length == 3 && int.TryParse(parts[1], out int index) && index >= 0 ? (parts[0], index, parts[2]) : ("", 0, "");
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var e in entries) e.State.Dispose();
        GC.SuppressFinalize(this);
    }
}
