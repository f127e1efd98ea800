using Skd.Data.Synthetic;
using Skd.Torch;

namespace Skd.Cli.Commands;

/// <summary>The demo's data: <see cref="VesselGenerator"/> images as tensors, images (N, 1, S, S) in [0, 1], masks (N, S, S) int64.</summary>
internal static class VesselImages
{
    public static (Tensor Images, Tensor Masks) Generate(int count, int size, int seed)
    {
        var pixels = new float[count * size * size];
        var masks = new long[count * size * size];
        for (int i = 0; i < count; i++)
        {
            var v = VesselGenerator.Generate(size, seed, i);
            for (int p = 0; p < size * size; p++)
            {
                pixels[i * size * size + p] = v.Pixels[p] / 255f;
                masks[i * size * size + p] = v.Mask[p] > 0 ? 1 : 0;
            }
        }
        return (DisposeScope.Detach(Tensor.From(pixels, count, 1, size, size)), DisposeScope.Detach(Tensor.From(masks, count, size, size)));
    }
}
