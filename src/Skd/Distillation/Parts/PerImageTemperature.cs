namespace Skd.Distillation.Parts;

/// <summary>
/// A temperature per image from the logits (methods.md §1, "a small module on [Z_t, Z]"):
/// <code>θ_b = fc(mean_pixels ReLU(BN(conv3x3([Z_t, Z]_b))))</code>
/// conv 2K → <see cref="Hidden"/> (padding 1, no bias), global average pooling, fc Hidden → 1.
/// [ours] The doc's "softplus" is left out: θ feeds σ, which already bounds τ, and a softplus
/// before σ would confine τ to its upper half (θ ≥ 0). State dict: <c>conv.*</c>, <c>bn.*</c>, <c>fc.*</c>.
/// </summary>
public sealed class PerImageTemperature : TemperatureModule
{
    /// <summary>Channels of the hidden feature map [ours].</summary>
    public const int Hidden = 16;

    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly Linear fc;

    public PerImageTemperature(long classes, double minimum, double range) : base(minimum, range)
    {
        conv = RegisterModule("conv", new Conv2d(2 * classes, Hidden, 3, padding: 1, bias: false));
        bn = RegisterModule("bn", new BatchNorm2d(Hidden));
        fc = RegisterModule("fc", new Linear(Hidden, 1));
    }

    public override Tensor Theta(Tensor teacherLogits, Tensor studentLogits)
    {
        using var scope = new DisposeScope();
        var joined = torch.Cat([teacherLogits, studentLogits], 1);
        var pooled = bn.Forward(conv.Forward(joined)).Relu().Mean([2, 3]);
        return scope.MoveToOuter(fc.Forward(pooled).Reshape(-1));
    }

    /// <summary>The logits joined on the channel axis, the convolution and batch norm, the spatial mean (no MACs), the linear layer.</summary>
    public override IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> logits)
    {
        var hidden = walk.Run(bn, walk.Run(conv, [logits[0], 2 * logits[1], logits[2], logits[3]]));
        return walk.Run(fc, hidden.Take(2).ToList());
    }
}
