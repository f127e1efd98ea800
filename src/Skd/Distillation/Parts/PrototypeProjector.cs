namespace Skd.Distillation.Parts;

/// <summary>
/// ACW-SKD's optional FRM on the class-wise layer (methods.md §1 [ours]): a student-side projector
/// P of the prototypes, two linear layers along the channel axis C with a ReLU between,
/// <code>P(f_k) = W₂·ReLU(W₁·f_k + b₁) + b₂      (C → C → C)</code>
/// applied to every prototype of a B×K×C tensor. The class-wise terms then compare n(P(f_k)) with
/// the detached n(f̂_k); P is trained by them alone and discarded at inference. State dict:
/// <c>fc1.*</c>, <c>fc2.*</c>.
/// </summary>
public sealed class PrototypeProjector : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly Linear fc1, fc2;

    public PrototypeProjector(long channels)
    {
        fc1 = RegisterModule("fc1", new Linear(channels, channels));
        fc2 = RegisterModule("fc2", new Linear(channels, channels));
    }

    public override Tensor Forward(Tensor prototypes)
    {
        using var hidden = fc1.Forward(prototypes);
        using var activated = hidden.Relu();
        return fc2.Forward(activated);
    }

    /// <summary>On shapes: the K prototypes of each image (B×K×C) through both layers, 2·K·C² MACs per image.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> prototypes) => walk.Run(fc2, walk.Run(fc1, prototypes));
}
