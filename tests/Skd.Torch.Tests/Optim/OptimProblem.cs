namespace Skd.Torch.Tests;

/// <summary>
/// The small problem of Fixtures/optim_reference.json (written by make_optim_fixtures.py):
/// float64 parameters w, b, z and the loss mean((x·w + b − y)²) + 0.1·Σw⁴, built with the same
/// libtorch ops as in PyTorch, so gradients agree to the last bit. z is not in the loss: it
/// never gets a gradient.
/// </summary>
internal sealed class OptimProblem : IDisposable
{
    public static readonly JsonElement Fixture = FixtureFiles.Load("optim_reference.json");

    private readonly Tensor x, y;

    public OptimProblem()
    {
        var p = Fixture.GetProperty("problem");
        x = DisposeScope.Detach(Double(p.GetProperty("x")));
        y = DisposeScope.Detach(Double(p.GetProperty("y")));
        Parameters = new[] { "w", "b", "z" }.Select(n => DisposeScope.Detach(Double(p.GetProperty(n))).RequiresGrad_()).ToArray();
    }

    /// <summary>w, b and z, in the order the fixture's optimisers received them.</summary>
    public Tensor[] Parameters { get; }

    public Tensor W => Parameters[0];
    public Tensor B => Parameters[1];
    public Tensor Z => Parameters[2];

    /// <summary>Computes the loss and back-propagates it into w's and b's gradients.</summary>
    public void Backward()
    {
        using var scope = new DisposeScope();
        var loss = (x.Matmul(W) + B - y).Pow(2).Mean() + 0.1 * W.Pow(4).Sum();
        loss.Backward();
    }

    /// <summary>A float64 tensor from {"shape": [...], "data": [...]}.</summary>
    public static Tensor Double(JsonElement e) =>
        Tensor.From(e.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray(), FixtureFiles.Shape(e));

    public static IEnumerable<object[]> OptimizerCases() =>
        Fixture.GetProperty("optimizers").EnumerateObject().Select(c => new object[] { c.Name });

    /// <summary>The optimiser of fixture case <paramref name="name"/>, over this problem's parameters.</summary>
    public Optimizer CreateOptimizer(string name)
    {
        var spec = Fixture.GetProperty("optimizers").GetProperty(name);
        var kw = spec.GetProperty("kwargs");
        double Arg(string key, double fallback) => kw.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        double? Option(JsonElement group, string key) => group.TryGetProperty(key, out var v) ? v.GetDouble() : null;

        var groups = spec.GetProperty("groups") is { ValueKind: JsonValueKind.Array } g
            ? g.EnumerateArray().Select(e => new ParamGroup(
                e.GetProperty("params").EnumerateArray().Select(i => Parameters[i.GetInt32()]),
                Option(e, "lr"), Option(e, "weight_decay"))).ToList()
            : [new ParamGroup(Parameters)];
        double[] betas = kw.TryGetProperty("betas", out var b) ? b.EnumerateArray().Select(v => v.GetDouble()).ToArray() : [0.9, 0.999];
        return spec.GetProperty("optimizer").GetString() switch
        {
            "sgd" => new SGD(groups, Arg("lr", double.NaN), Arg("momentum", 0), Arg("dampening", 0), Arg("weight_decay", 0),
                kw.TryGetProperty("nesterov", out var n) && n.GetBoolean()),
            "adam" => new Adam(groups, Arg("lr", 1e-3), betas[0], betas[1], Arg("eps", 1e-8), Arg("weight_decay", 0)),
            "adamw" => new AdamW(groups, Arg("lr", 1e-3), betas[0], betas[1], Arg("eps", 1e-8), Arg("weight_decay", 1e-2)),
            var other => throw new InvalidOperationException($"unknown optimiser '{other}' in the fixture"),
        };
    }

    public void Dispose()
    {
        x.Dispose();
        y.Dispose();
        foreach (var p in Parameters) p.Dispose();
    }
}
