using Skd.Data;
using Skd.Data.Formats;
using Skd.Torch;

namespace Skd.Inference;

/// <summary>
/// Writes predicted label maps where a viewer or <c>skd metrics</c> reads them: a 2-D case as
/// <c>ID.png</c> (<see cref="MaskEncoding.PredictionPixels"/>: a binary map as 0/255, more classes as
/// their ids in 8-bit grey values, 16-bit above 256 classes), a volume as
/// <c>ID.nii.gz</c> with the input's NIfTI header (so the same affine and spacing) or, for inputs
/// without one (HDF5), the case's spacing; and colour overlays of the prediction on the image
/// (<see cref="Overlay"/>): <c>ID_overlay.png</c>, or one PNG per slice in <c>ID_overlay/</c>.
/// </summary>
public static class PredictionFiles
{
    /// <summary>Writes the label map (D, H, W) of case <paramref name="c"/>, of a model of <paramref name="classes"/> classes, into <paramref name="folder"/>; returns its path.</summary>
    public static string WriteLabels(string folder, LoadedCase c, Tensor labels, int classes)
    {
        Directory.CreateDirectory(folder);
        using var scope = new DisposeScope();
        if (c.IsVolume)
        {
            string path = Path.Combine(folder, c.Files.Id + ".nii.gz");
            NiftiFile.Write(path, labels, c.Geometry?.Header, c.Spacing);
            return path;
        }
        string png = Path.Combine(folder, c.Files.Id + ".png");
        ImageFile.Write(png, MaskEncoding.PredictionPixels(labels.Squeeze(0), classes));
        return png;
    }

    /// <summary>Writes the overlay of the label map (D, H, W) on the case's image into <paramref name="folder"/>; returns its path.</summary>
    public static string WriteOverlay(string folder, LoadedCase c, Tensor labels)
    {
        Directory.CreateDirectory(folder);
        using var scope = new DisposeScope();
        // Overlay shows grey or RGB: RGB images keep their colours, other channel counts show the first.
        var image = c.Image.Size(0) == 3 ? c.Image : c.Image.Narrow(0, 0, 1);
        if (!c.IsVolume)
        {
            string png = Path.Combine(folder, c.Files.Id + "_overlay.png");
            Overlay.Write(png, image.Select(1, 0), labels[0]);
            return png;
        }
        string slices = Path.Combine(folder, c.Files.Id + "_overlay");
        Directory.CreateDirectory(slices);
        int digits = Math.Max(3, c.Depth.ToString().Length);
        for (long z = 0; z < c.Depth; z++)
        {
            using var step = new DisposeScope();
            Overlay.Write(Path.Combine(slices, z.ToString("D" + digits) + ".png"), image.Select(1, z), labels[z]);
        }
        return slices;
    }
}
