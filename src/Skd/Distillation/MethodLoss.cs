namespace Skd.Distillation;

/// <summary>
/// The loss of one batch: <see cref="Total"/> (what is backpropagated) and its named terms, each the
/// weighted contribution it makes, so that the terms sum to the total. Terms are detached scalars,
/// for logs and progress bars; a NaN names its term.
/// <para>
/// Beside the terms, what a researcher needs to trust a run (issue #10, item 3): each term's weight at
/// this step (<see cref="Weights"/>, also of a term switched off by its schedule: weight 0), scalars the
/// method reports (<see cref="Report"/>, read by <see cref="ScalarValues"/>: e.g. the KD temperature τ), and the features whose gradient
/// norms <see cref="GradientNorms"/> measures (<see cref="Watch(string, Tensor)"/>: the student's
/// penultimate features F by default).
/// </para>
/// </summary>
public sealed class MethodLoss
{
    /// <summary>The name <see cref="Watch(UNetOutput)"/> gives the student's penultimate features F.</summary>
    public const string Penultimate = "penultimate";

    /// <summary>The key of the whole loss among the gradient norms of one feature.</summary>
    public const string TotalKey = "total";

    private readonly List<KeyValuePair<string, Tensor>> terms = new();
    private readonly List<KeyValuePair<string, Tensor>> weightedGraphs = new();
    private readonly List<KeyValuePair<string, double>> weights = new();
    private readonly List<KeyValuePair<string, Tensor>> scalars = new();
    private readonly List<KeyValuePair<string, Tensor>> watched = new();
    private Tensor? total;

    public Tensor Total => total ?? throw new InvalidOperationException("a method's loss has no terms");

    public IReadOnlyList<KeyValuePair<string, Tensor>> Terms => terms;

    /// <summary>Every term's weight at this step, in the order added, those at weight 0 included.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Weights => weights;

    /// <summary>
    /// Adds weight·value under <paramref name="name"/>. A term with weight 0 neither trains nor shows
    /// among the terms, and its value may then be null (not computed); its weight is recorded either way.
    /// </summary>
    public MethodLoss Add(string name, Tensor? value, double weight = 1)
    {
        if (weights.Any(t => t.Key == name)) throw new ArgumentException($"loss term '{name}' added twice");
        weights.Add(new(name, weight));
        if (weight == 0) return this;
        if (value is null) throw new ArgumentNullException(nameof(value), $"loss term '{name}' has weight {weight} but no value");
        if (value.NumElements != 1) throw new ArgumentException($"loss term '{name}' must be a scalar, got shape [{string.Join(", ", value.Shape)}]");
        var weighted = weight == 1 ? value.Reshape() : value.Reshape() * weight;
        terms.Add(new(name, weighted.Detach()));
        weightedGraphs.Add(new(name, weighted));
        total = total is null ? weighted : total + weighted;
        return this;
    }

    /// <summary>Reports a scalar of this step under <paramref name="name"/> (its mean when it has several elements), e.g. τ; it does not train.</summary>
    public MethodLoss Report(string name, Tensor value)
    {
        if (scalars.Any(s => s.Key == name)) throw new ArgumentException($"scalar '{name}' reported twice");
        scalars.Add(new(name, value.Detach().Mean()));
        return this;
    }

    /// <summary>
    /// Names <paramref name="features"/> (a tensor of this step's graph, e.g. decoder features) for
    /// <see cref="GradientNorms"/>.
    /// </summary>
    public MethodLoss Watch(string name, Tensor features)
    {
        if (watched.Any(w => w.Key == name)) throw new ArgumentException($"features '{name}' watched twice");
        watched.Add(new(name, features));
        return this;
    }

    /// <summary>Watches the student's penultimate features F as <see cref="Penultimate"/>.</summary>
    public MethodLoss Watch(UNetOutput student) => Watch(Penultimate, student.Penultimate);

    /// <summary>The terms' values as numbers (one device synchronisation per term).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values() =>
        terms.Select(t => new KeyValuePair<string, double>(t.Key, t.Value.Item())).ToList();

    /// <summary>The reported scalars as numbers.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ScalarValues() =>
        scalars.Select(s => new KeyValuePair<string, double>(s.Key, s.Value.Item())).ToList();

    /// <summary>
    /// For every watched feature tensor X and every term (and <see cref="TotalKey"/>, the whole loss):
    /// ‖∂(w·L)/∂X‖₂ over the whole batch, 0 for a term whose graph does not reach X. Computed as
    /// torch.autograd.grad with the graph retained: no parameter's gradient and no buffer changes, so
    /// a later <c>Total.Backward()</c> trains exactly as without it. Costs one partial backward pass per
    /// (feature, term): the trainer calls it every few steps only.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> GradientNorms()
    {
        using var scope = new DisposeScope();
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var (feature, features) in watched)
        {
            var norms = new Dictionary<string, double>();
            foreach (var (name, weighted) in weightedGraphs.Append(new(TotalKey, Total)))
                norms[name] = weighted.RequiresGrad && torch.Grad(weighted, features) is { } gradient ? gradient.Norm().Item() : 0;
            result[feature] = norms;
        }
        return result;
    }
}
