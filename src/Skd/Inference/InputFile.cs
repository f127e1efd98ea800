namespace Skd.Inference;

/// <summary>
/// A lone input to predict, outside any dataset: a 2-D image (read as grey or RGB channels as the model's
/// training images were, <see cref="ImageInput"/>: a grey image given to an RGB model is repeated into
/// R, G and B, a colour image given to a grey model becomes its luminance; alpha is dropped), a NIfTI volume (one channel, its header kept for writing the prediction back), or a
/// TransUNet Synapse file (.npz slice or .npy.h5 volume, array "image").
/// </summary>
public static class InputFile
{
    /// <summary>An image, or a file <see cref="Case"/> reads as a volume or a Synapse file.</summary>
    public static bool IsInput(string path) => ImageFile.IsImage(path) || Case(path).Storage != CaseStorage.Image2D;

    /// <summary>The file's name without its extension (both of .nii.gz and .npy.h5).</summary>
    public static string Stem(string path)
    {
        string name = Path.GetFileName(path);
        foreach (var ending in new[] { ".nii.gz", ".npy.h5" })
            if (name.EndsWith(ending, StringComparison.OrdinalIgnoreCase)) return name[..^ending.Length];
        return Path.GetFileNameWithoutExtension(name);
    }

    /// <summary>The inputs of a file or of a folder's files (natural order), each checked to be one this reads.</summary>
    public static IReadOnlyList<string> List(string fileOrFolder)
    {
        if (Directory.Exists(fileOrFolder))
        {
            var files = Directory.EnumerateFiles(fileOrFolder).Where(IsInput).OrderBy(f => f, NaturalOrder.Instance).ToList();
            return files.Count > 0 ? files
                : throw new DataFormatException($"{fileOrFolder}: no images (.png, .jpg, .tif, ...), NIfTI volumes (.nii, .nii.gz) or Synapse files (.npz, .npy.h5) in the folder");
        }
        if (!File.Exists(fileOrFolder)) throw new FileNotFoundException($"{fileOrFolder}: no such file or folder", fileOrFolder);
        return IsInput(fileOrFolder) ? [fileOrFolder]
            : throw new DataFormatException($"{fileOrFolder}: not an image, a NIfTI volume or a Synapse file");
    }

    /// <summary>An input as a case without label: its id is the file's stem.</summary>
    public static CaseFiles Case(string path)
    {
        var storage = NiftiFile.IsNifti(path) ? CaseStorage.Volume
            : path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) ? CaseStorage.Hdf5
            : path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? CaseStorage.Npz
            : CaseStorage.Image2D;
        return new CaseFiles(Stem(path), [path], null, storage);
    }

    /// <summary>Reads an input as a case without label: image (C, D, H, W) float32; 2-D images as <paramref name="channels"/> (null: as stored).</summary>
    public static LoadedCase Load(string path, ImageChannels? channels = null)
    {
        using var scope = new DisposeScope();
        var files = Case(path);
        if (files.Storage == CaseStorage.Volume)
        {
            var volume = NiftiFile.Read(path);
            if (volume.Data.Dim != 3)
            {
                volume.Dispose();
                throw new DataFormatException($"{path}: a 3-D volume is needed, this one is [{string.Join(", ", volume.Data.Shape)}]");
            }
            var image = DisposeScope.Detach(volume.Data.Float().Unsqueeze(0));
            DisposeScope.Detach(volume.Data);
            return new LoadedCase { Files = files, Image = image, Spacing = volume.Spacing, Geometry = volume };
        }
        if (files.Storage == CaseStorage.Hdf5)
        {
            var data = Hdf5File.Read(path, "image");
            if (data.Dim != 3) throw new DataFormatException($"{path}: 'image' should be 3-D (D, H, W), it is [{string.Join(", ", data.Shape)}]");
            return new LoadedCase { Files = files, Image = DisposeScope.Detach(data.Float().Unsqueeze(0)) };
        }
        if (files.Storage == CaseStorage.Npz)
        {
            var arrays = NpyFile.ReadArchive(path);
            if (!arrays.TryGetValue("image", out var slice) || slice.Dim != 2)
                throw new DataFormatException($"{path}: a Synapse slice needs a 2-D array 'image'");
            return new LoadedCase { Files = files, Image = DisposeScope.Detach(slice.Float().View(1, 1, slice.Size(0), slice.Size(1))) };
        }
        var (pixels, fullScale) = ImageInput.Read(path, channels);
        return new LoadedCase { Files = files, Image = DisposeScope.Detach(pixels.Unsqueeze(1)), FullScale = fullScale };
    }
}
