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

    public AuxiliaryHead(long channels, long classes)
    {
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

    /// <summary><see cref="Forward"/> on shapes: the head on <paramref name="features"/>, resized to the H×W of <paramref name="output"/>.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> features, IReadOnlyList<long> output)
    {
        var coarse = walk.Run(layers, features);
        return [.. coarse.Take(2), .. output.Skip(2)];
    }
}
