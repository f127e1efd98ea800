using Skd.Data.Transforms;
using Skd.Torch;

namespace Skd.Data;

/// <summary>
/// The way back from training slices to a case: per-slice label maps predicted at the training
/// size (S×S) are resized to the case's own in-plane size by nearest neighbour (as TransUNet's
/// test protocol does) and stacked into a (D, H, W) volume, ready for per-volume metrics or for
/// <see cref="Formats.NiftiFile.Write"/> with the input's header.
/// </summary>
public static class VolumeAssembly
{
    /// <param name="slicePredictions">(D, S, S) integer label maps, slice order as in the case.</param>
    /// <param name="loaded">The case they were predicted for (its image gives D, H, W).</param>
    public static Tensor Reassemble(Tensor slicePredictions, LoadedCase loaded)
    {
        long depth = loaded.Image.Size(1), height = loaded.Image.Size(2), width = loaded.Image.Size(3);
        if (slicePredictions.Dim != 3 || slicePredictions.Size(0) != depth)
            throw new ArgumentException($"{loaded.Files.Id}: {depth} slice predictions (D, S, S) expected, got [{string.Join(", ", slicePredictions.Shape)}]");
        return Resize.Label(slicePredictions, height, width);
    }
}
