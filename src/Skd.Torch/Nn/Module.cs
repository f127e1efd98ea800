namespace Skd.Torch.Nn;

/// <summary>
/// A network component with registered parameters, buffers and submodules, as torch.nn.Module.
/// State-dict keys are PyTorch's dotted names (<c>encoder.0.conv1.weight</c>), so weights travel
/// between this library and PyTorch by name. A module owns its tensors: disposing it frees them.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = new();
    private readonly List<(string Name, Tensor Tensor)> buffers = new();
    private readonly List<(string Name, Module Module)> children = new();

    /// <summary>True in training mode (dropout active, batch norm on batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable tensor under <paramref name="name"/>; the module takes ownership.</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        DisposeScope.Detach(tensor);
        tensor.RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a state tensor that is saved but not trained (running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        DisposeScope.Detach(tensor);
        buffers.Add((name, tensor));
        return tensor;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    /// <summary>
    /// Puts <paramref name="module"/> in the place of the child registered as <paramref name="name"/> and returns the
    /// child it replaced (the caller disposes it). The new child takes this module's memory format.
    /// </summary>
    protected Module ReplaceModule(string name, Module module)
    {
        int index = children.FindIndex(c => c.Name == name);
        if (index < 0) throw new ArgumentException($"{GetType().Name} has no child '{name}'");
        var replaced = children[index].Module;
        children[index] = (name, module);
        module.Train(Training).To(MemoryFormat);
        return replaced;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid member name: it must be non-empty and contain no '.'");
        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}");
    }

    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>This module and every descendant, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in children)
            foreach (var item in child.NamedModules(Join(prefix, name)))
                yield return item;
    }

    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() =>
        NamedModules().SelectMany(m => m.Module.parameters.Select(p => (Join(m.Name, p.Name), p.Tensor)));

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() =>
        NamedModules().SelectMany(m => m.Module.buffers.Select(b => (Join(m.Name, b.Name), b.Tensor)));

    /// <summary>Number of parameter elements (trainable or frozen).</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumElements);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    public Module Train(bool training = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = training;
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>
    /// The layout of this module's 4-D parameters and buffers and of the activations it is meant to be fed
    /// (<see cref="To(Skd.Torch.MemoryFormat)"/> sets it); modules whose kernels do not keep a layout restore it with it.
    /// </summary>
    public MemoryFormat MemoryFormat { get; private set; } = MemoryFormat.Contiguous;

    /// <summary>
    /// Lays every 4-D parameter and buffer (convolution weights) out in <paramref name="format"/>, in place (references held
    /// elsewhere stay valid), and records the format on every descendant. Values, shapes and state-dict keys do not change;
    /// checkpoints are written contiguous whatever the format.
    /// </summary>
    public Module To(MemoryFormat format)
    {
        foreach (var (_, m) in NamedModules()) m.MemoryFormat = format;
        return Convert(t => t.Contiguous(format), t => t.Dim == 4 && !t.IsContiguousIn(format));
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/>, in place: references held elsewhere (optimisers) stay valid.</summary>
    public Module To(Device device)
    {
        device.EnsureAvailable();
        return Convert(t => t.To(device), _ => true);
    }

    /// <summary>Converts floating-point parameters and buffers to <paramref name="dtype"/>, in place.</summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"modules convert to floating-point dtypes only, not {dtype.Name()}");
        return Convert(t => t.To(dtype), t => t.DType.IsFloatingPoint());
    }

    private Module Convert(Func<Tensor, Tensor> convert, Func<Tensor, bool> applies)
    {
        using var noGrad = torch.NoGrad();
        foreach (var (_, m) in NamedModules())
        {
            foreach (var (_, t) in m.parameters.Concat(m.buffers))
            {
                if (!applies(t)) continue;
                bool requiresGrad = t.RequiresGrad;
                using var converted = convert(t);
                t.ReplaceHandle(Native.skd_alias(converted.Handle));
                if (requiresGrad) t.RequiresGrad = true;
            }
        }
        return this;
    }

    /// <summary>Clears the gradients of every parameter (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Grad = null;
    }

    /// <summary>
    /// Parameters then buffers of each module, depth first, under dotted names: PyTorch's state_dict
    /// order. The tensors are the module's own (not copies): read them, do not dispose them.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict() =>
        NamedModules().SelectMany(m => m.Module.parameters.Concat(m.Module.buffers)
            .Select(t => new KeyValuePair<string, Tensor>(Join(m.Name, t.Name), t.Tensor))).ToList();

    /// <summary>
    /// Copies values from <paramref name="stateDict"/> into this module's tensors. Strict: every key
    /// must match, with the same shape. Non-strict: matching keys load, the rest are reported.
    /// </summary>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        var own = StateDict();
        var missing = own.Where(kv => !stateDict.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList();
        var ownKeys = own.Select(kv => kv.Key).ToHashSet();
        var unexpected = stateDict.Keys.Where(k => !ownKeys.Contains(k)).ToList();
        var mismatched = own.Where(kv => stateDict.TryGetValue(kv.Key, out var src) && !src.Shape.SequenceEqual(kv.Value.Shape))
            .Select(kv => $"{kv.Key}: expected [{string.Join(", ", kv.Value.Shape)}], got [{string.Join(", ", stateDict[kv.Key].Shape)}]")
            .ToList();
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing));
            if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected));
            if (mismatched.Count > 0) problems.Add("shape mismatches: " + string.Join("; ", mismatched));
            throw new TorchShapeException($"state dict does not fit {GetType().Name}: {string.Join(" | ", problems)}");
        }
        using var noGrad = torch.NoGrad();
        foreach (var (key, tensor) in own)
            if (stateDict.TryGetValue(key, out var source)) tensor.Copy_(source);
        return new StateDictLoadResult(missing, unexpected);
    }

    public virtual void Dispose()
    {
        foreach (var (_, t) in parameters.Concat(buffers)) t.Dispose();
        foreach (var (_, m) in children) m.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Keys a non-strict <see cref="Module.LoadStateDict"/> left alone.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

/// <summary>A module with one input and one output.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    public abstract TOutput Forward(TInput input);
}
