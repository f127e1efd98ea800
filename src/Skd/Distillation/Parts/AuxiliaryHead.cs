using Skd.Models;
using Skd.Torch;
using Skd.Torch.Nn;
using F = Skd.Torch.Functional;

namespace Skd.Distillation.Parts;

/// <summary>
/// A light segmentation head on decoder features (ACW-SKD's auxiliary head, methods.md §1 [ours,
/// following the paper]): 3×3 conv (C → C, no bias) → BN → ReLU → 1×1 conv (C → K), its coarse
/// logits upsampled bilinearly (align_corners = false) to the label's H×W. State dict:
/// <c>layers.{0,1,3}.*</c>.
/// </summary>
public sealed class AuxiliaryHead : Module<(Tensor Features, (long Height, long Width) Size), Tensor>
{
    private readonly Sequential layers;
    private readonly long channels, classes;

    public AuxiliaryHead(long channels, long classes)
    {
        (this.channels, this.classes) = (channels, classes);
        layers = RegisterModule("layers", new Sequential(
            new Conv2d(channels, channels, 3, padding: 1, bias: false), new BatchNorm2d(channels), new ReLU(),
            new Conv2d(channels, classes, 1)));
    }

    /// <summary>Logits B×K×H×W of features B×C×h×w, upsampled to <c>Size</c> when h×w differs.</summary>
    public override Tensor Forward((Tensor Features, (long Height, long Width) Size) input)
    {
        var coarse = layers.Forward(input.Features);
        if (coarse.Size(2) == input.Size.Height && coarse.Size(3) == input.Size.Width) return coarse;
        using (coarse) return F.Interpolate(coarse, input.Size, InterpolationMode.Bilinear);
    }

    /// <summary>Parameters and MACs for features of side <paramref name="featureSize"/> (the upsampling counts 0, as other resampling).</summary>
    public ProfileRow Profile(string name, long featureSize, long outputSize) => new(name, [classes, outputSize, outputSize],
        ModelProfile.ConvParameters(channels, channels, 3, bias: false) + ModelProfile.BatchNormParameters(channels)
            + ModelProfile.ConvParameters(channels, classes, 1, bias: true),
        ModelProfile.Conv2dMacs(channels, channels, 3, featureSize, featureSize) + ModelProfile.Conv2dMacs(channels, classes, 1, featureSize, featureSize));
}
