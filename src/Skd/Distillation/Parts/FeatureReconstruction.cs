namespace Skd.Distillation.Parts;

/// <summary>
/// ACW-SKD's feature reconstruction module (FRM) on the penultimate features F (methods.md §1,
/// second design): a zero-initialised residual block ending in ReLU,
/// <code>F̂ = ReLU(F + BN₂(conv3x3(ReLU(BN₁(conv3x3(F))))))      BN₂.γ = 0 at initialisation</code>
/// (3×3 convs C → m·C → C, padding 1, no bias; the hidden width m·C, m = 1 by default, gives the
/// self-teacher more capacity than the student, at training time only: the FRM is discarded at inference). F is itself the output of a ReLU, so at initialisation
/// F̂ = F exactly, and F̂ always lives in F's non-negative space: the self-teacher starts as the
/// student, never as the student plus noise, and its class-wise targets are reachable
/// [ours: the zero-γ residual initialisation; see acw-skd-audit.md D1, D2]. State dict: <c>block.{0,1,3,4}.*</c>.
/// </summary>
public sealed class FeatureReconstruction : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly Sequential block;

    public FeatureReconstruction(long channels, long widthMultiplier = 1)
    {
        if (widthMultiplier < 1) throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "the FRM's hidden width multiplier must be at least 1");
        long hidden = channels * widthMultiplier;
        var last = new BatchNorm2d(channels);
        block = RegisterModule("block", new Sequential(
            new Conv2d(channels, hidden, 3, padding: 1, bias: false), new BatchNorm2d(hidden), new ReLU(),
            new Conv2d(hidden, channels, 3, padding: 1, bias: false), last));
        using (torch.NoGrad()) last.Weight!.Zero_();
    }

    public override Tensor Forward(Tensor features)
    {
        using var residual = block.Forward(features);
        using var sum = features + residual;
        return sum.Relu();
    }

    /// <summary>The features' shape: the block, then the residual sum (no MACs).</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> features) => walk.Run(block, features);
}
