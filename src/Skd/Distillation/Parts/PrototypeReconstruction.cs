using Skd.Models;
using Skd.Torch;
using Skd.Torch.Nn;

namespace Skd.Distillation.Parts;

/// <summary>
/// ACW-SKD's second FRM, on the class-wise prototypes (methods.md §1 [ours, following the paper]):
/// two linear layers along the prototype axis C with a ReLU between,
/// <code>f̂_k = W₂·ReLU(W₁·p_k + b₁) + b₂      (C → C → C, hidden width C [ours])</code>
/// applied to every prototype p_k of a B×K×C tensor. State dict: <c>fc1.*</c>, <c>fc2.*</c>.
/// </summary>
public sealed class PrototypeReconstruction : Module<Tensor, Tensor>
{
    private readonly Linear fc1, fc2;
    private readonly long channels;

    public PrototypeReconstruction(long channels)
    {
        this.channels = channels;
        fc1 = RegisterModule("fc1", new Linear(channels, channels));
        fc2 = RegisterModule("fc2", new Linear(channels, channels));
    }

    public override Tensor Forward(Tensor prototypes)
    {
        using var hidden = fc1.Forward(prototypes);
        using var activated = hidden.Relu();
        return fc2.Forward(activated);
    }

    /// <summary>Parameters and MACs for the K prototypes of one image (one MAC per weight use: 2·K·C²).</summary>
    public ProfileRow Profile(string name, long classes) => new(name, [classes, channels],
        2 * (channels * channels + channels), 2 * classes * channels * channels);
}
