using Skd.Models;
using Skd.Torch;
using Skd.Torch.Nn;

namespace Skd.Distillation.Parts;

/// <summary>
/// ACW-SKD's feature reconstruction module (FRM) on the penultimate features F (methods.md §1
/// [ours, following the paper]): a residual block, exactly as listed there,
/// <code>F̂ = F + BN(conv3x3(ReLU(BN(conv3x3(F)))))</code>
/// (3×3 convs C → C, padding 1, no bias; no ReLU after the sum, as written, unlike ResNet's
/// BasicBlock). State dict: <c>block.{0,1,3,4}.*</c>.
/// </summary>
public sealed class FeatureReconstruction : Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly long channels;

    public FeatureReconstruction(long channels)
    {
        this.channels = channels;
        block = RegisterModule("block", new Sequential(
            new Conv2d(channels, channels, 3, padding: 1, bias: false), new BatchNorm2d(channels), new ReLU(),
            new Conv2d(channels, channels, 3, padding: 1, bias: false), new BatchNorm2d(channels)));
    }

    public override Tensor Forward(Tensor features)
    {
        using var residual = block.Forward(features);
        return features + residual;
    }

    public ProfileRow Profile(string name, long size) => new(name, [channels, size, size],
        2 * (ModelProfile.ConvParameters(channels, channels, 3, bias: false) + ModelProfile.BatchNormParameters(channels)),
        2 * ModelProfile.Conv2dMacs(channels, channels, 3, size, size));
}
