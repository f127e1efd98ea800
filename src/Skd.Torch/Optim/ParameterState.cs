namespace Skd.Torch.Optim;

/// <summary>
/// What an optimiser keeps for one parameter: the number of updates it has received and named
/// tensors (<c>momentum_buffer</c>, <c>exp_avg</c>, …), as PyTorch's <c>optimizer.state[p]</c>.
/// The tensors belong to the optimiser: they are out of every dispose scope and freed by
/// <see cref="Dispose"/>.
/// </summary>
public sealed class ParameterState : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors = new();

    internal ParameterState() { }

    /// <summary>Updates this parameter has received (PyTorch's <c>state["step"]</c>).</summary>
    public long Step { get; internal set; }

    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    /// <summary>The tensor named <paramref name="name"/>, or null before it is first set.</summary>
    public Tensor? Get(string name) => tensors.GetValueOrDefault(name);

    /// <summary>Keeps <paramref name="tensor"/> (taking it out of its dispose scope) under <paramref name="name"/>, freeing any previous one.</summary>
    public Tensor Set(string name, Tensor tensor)
    {
        if (tensors.Remove(name, out var previous) && previous != tensor) previous.Dispose();
        tensors[name] = DisposeScope.Detach(tensor);
        return tensor;
    }

    /// <summary>Frees the tensors and sets the step count back to 0.</summary>
    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
        Step = 0;
    }
}
