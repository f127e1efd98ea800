using Skd.Torch;

namespace Skd.Distillation;

/// <summary>
/// The loss of one batch: <see cref="Total"/> (what is backpropagated) and its named terms, each the
/// weighted contribution it makes, so that the terms sum to the total. Terms are detached scalars,
/// for logs and progress bars; a NaN names its term.
/// </summary>
public sealed class MethodLoss
{
    private readonly List<KeyValuePair<string, Tensor>> terms = new();
    private Tensor? total;

    public Tensor Total => total ?? throw new InvalidOperationException("a method's loss has no terms");

    public IReadOnlyList<KeyValuePair<string, Tensor>> Terms => terms;

    /// <summary>Adds weight·value under <paramref name="name"/> (a term with weight 0 is skipped: it neither trains nor shows).</summary>
    public MethodLoss Add(string name, Tensor value, double weight = 1)
    {
        if (weight == 0) return this;
        if (terms.Any(t => t.Key == name)) throw new ArgumentException($"loss term '{name}' added twice");
        if (value.NumElements != 1) throw new ArgumentException($"loss term '{name}' must be a scalar, got shape [{string.Join(", ", value.Shape)}]");
        var weighted = weight == 1 ? value.Reshape() : value.Reshape() * weight;
        terms.Add(new(name, weighted.Detach()));
        total = total is null ? weighted : total + weighted;
        return this;
    }

    /// <summary>The terms' values as numbers (one device synchronisation per term).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values() =>
        terms.Select(t => new KeyValuePair<string, double>(t.Key, t.Value.Item())).ToList();
}
