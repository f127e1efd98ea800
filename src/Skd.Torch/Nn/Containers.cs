namespace Skd.Torch.Nn;

/// <summary>Modules applied in order, named "0", "1", ... as torch.nn.Sequential.</summary>
public sealed class Sequential : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly List<Module<Tensor, Tensor>> layers = new();

    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        foreach (var m in modules) Add(m);
    }

    public Sequential Add(Module<Tensor, Tensor> module)
    {
        RegisterModule(layers.Count.ToString(), module);
        layers.Add(module);
        return this;
    }

    /// <summary>Puts <paramref name="module"/> in place of layer <paramref name="index"/> (under the same name) and disposes the layer it replaced.</summary>
    public void Replace(int index, Module<Tensor, Tensor> module)
    {
        ReplaceModule(index.ToString(), module).Dispose();
        layers[index] = module;
    }

    public int Count => layers.Count;
    public Module<Tensor, Tensor> this[int index] => layers[index];

    /// <summary>Runs the layers in order; intermediates are freed as soon as the next layer has used them.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (var layer in layers)
        {
            Tensor next = layer.Forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        return ReferenceEquals(x, input) ? input.Alias() : x;
    }

    /// <summary>The layers' traces in order.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => layers.Aggregate(input, (shape, layer) => walk.Run(layer, shape));
}

/// <summary>An indexed list of submodules named "0", "1", ... as torch.nn.ModuleList.</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> items = new();

    public ModuleList(IEnumerable<T>? modules = null)
    {
        foreach (var m in modules ?? []) Add(m);
    }

    public void Add(T module)
    {
        RegisterModule(items.Count.ToString(), module);
        items.Add(module);
    }

    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
