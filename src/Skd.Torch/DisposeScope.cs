namespace Skd.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and frees them
/// all when disposed. Wrap each training step in one; a tensor that must outlive the step
/// (a metric, a state to keep) leaves explicitly with <see cref="MoveToOuter"/> or
/// <see cref="Detach"/>. Scopes nest; they are per thread.
/// </summary>
/// <example><code>
/// using (var scope = new DisposeScope())
/// {
///     var loss = Functional.CrossEntropy(model.Forward(x), y);
///     loss.Backward();
///     total = scope.MoveToOuter(loss.Detach());
/// }
/// </code></example>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<Tensor> owned = new();
    private bool disposed;

    public DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost open scope of this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>How many tensors this scope owns now.</summary>
    public int Count => owned.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Attach(Tensor tensor)
    {
        tensor.Scope = this;
        owned.Add(tensor);
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to nobody at the outermost one).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        EnsureOwned(tensor);
        tensor.Scope = null;
        outer?.Attach(tensor);
        return tensor;
    }

    /// <summary>Takes <paramref name="tensor"/> out of every scope: its owner must dispose it.</summary>
    public static Tensor Detach(Tensor tensor)
    {
        tensor.Scope = null;
        return tensor;
    }

    private void EnsureOwned(Tensor tensor)
    {
        if (tensor.Scope != this) throw new InvalidOperationException("the tensor does not belong to this scope");
    }

    public void Dispose()
    {
        if (disposed) return;
        if (current != this)
            throw new InvalidOperationException("dispose scopes must be disposed innermost first, on the thread that opened them");
        disposed = true;
        current = outer;
        foreach (var t in owned)
            if (t.Scope == this) t.Dispose();
        owned.Clear();
    }
}
