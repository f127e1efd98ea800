using Skd.Data;
using Skd.Data.Formats;
using Skd.Torch;

namespace Skd.Evaluation;

/// <summary>
/// A label map read from a file for scoring: a 2-D image (its first channel; H×W class ids) or a
/// NIfTI volume (D×H×W, integer values) with its spacing (x, y, z; 1 for images).
/// </summary>
public sealed class LabelMapFile : IDisposable
{
    public required string Path { get; init; }
    /// <summary>int64 (H, W) or (D, H, W).</summary>
    public required Tensor Map { get; init; }
    public double[] Spacing { get; init; } = [1, 1, 1];

    public static bool IsLabelMap(string path) => ImageFile.IsImage(path) || NiftiFile.IsNifti(path);

    public static LabelMapFile Read(string path)
    {
        using var scope = new DisposeScope();
        if (NiftiFile.IsNifti(path))
        {
            using var volume = NiftiFile.Read(path);
            if (volume.Data.Dim is not (2 or 3))
                throw new DataFormatException($"{path}: a label map is 2-D or 3-D, this volume is [{string.Join(", ", volume.Data.Shape)}]");
            if (volume.Data.DType.IsFloatingPoint() && !volume.Data.Eq(volume.Data.Round()).All().Item<bool>())
                throw new DataFormatException($"{path}: the label map holds non-integer values");
            return new LabelMapFile { Path = path, Map = DisposeScope.Detach(volume.Data.To(DType.Int64)), Spacing = volume.Spacing };
        }
        if (!ImageFile.IsImage(path)) throw new DataFormatException($"{path}: not an image or a NIfTI volume");
        return new LabelMapFile { Path = path, Map = DisposeScope.Detach(ImageFile.Read(path)[0].To(DType.Int64)) };
    }

    /// <summary>Throws a <see cref="DataFormatException"/> naming the file unless every value lies in 0..K−1.</summary>
    public void CheckClasses(int classes)
    {
        if (Map.NumElements == 0) return;
        long min = Map.Min().Item<long>(), max = Map.Max().Item<long>();
        if (min < 0 || max >= classes)
            throw new DataFormatException($"{Path}: value {(min < 0 ? min : max)} is not a class id in 0..{classes - 1} (give --classes, or store masks as class ids, not 0/255)");
    }

    public void Dispose() => Map.Dispose();
}
