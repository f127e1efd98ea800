namespace Skd.Data;

/// <summary>Statistics of one array inside a file (a file may hold several: .npz, HDF5).</summary>
public sealed record ArraySummary(string Name, long[] Shape, string DType, double Min, double Max, double Mean);

/// <summary>What <c>skd inspect</c> reports about a data file.</summary>
public sealed record FileSummary(string Path, string Format, IReadOnlyList<ArraySummary> Arrays)
{
    /// <summary>Voxel size (x, y, z) in millimetres, for volumes.</summary>
    public double[]? Spacing { get; init; }
    /// <summary>Axis codes of the voxel axes (i, j, k) in RAS+ world space, e.g. "RAS" or "LPS", for volumes.</summary>
    public string? Orientation { get; init; }
    public double[][]? Affine { get; init; }
    /// <summary>String metadata, for safetensors files.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Reads a file and summarises it; the format follows the extension.</summary>
    public static FileSummary Of(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        string name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        using var scope = new DisposeScope();
        if (NiftiFile.IsNifti(name))
        {
            using var v = NiftiFile.Read(path);
            return new FileSummary(path, "NIfTI-1", [Summarise("data", v.Data)])
            {
                Spacing = v.Spacing,
                Orientation = AxisCodes(v.Affine),
                Affine = Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 4).Select(c => v.Affine[r, c]).ToArray()).ToArray(),
            };
        }
        if (name.EndsWith(".safetensors"))
        {
            // Weights: the header only (names, dtypes, shapes), as a model can be large.
            var header = Safetensors.ReadHeader(path);
            return new FileSummary(path, $"safetensors, {header.Tensors.Count} tensor(s)",
                header.Tensors.Select(t => new ArraySummary(t.Name, t.Shape, t.DType.Name(), double.NaN, double.NaN, double.NaN)).ToList())
            {
                Metadata = header.Metadata,
            };
        }
        if (name.EndsWith(".npy")) return new FileSummary(path, "NumPy .npy", [Summarise("array", NpyFile.Read(path))]);
        if (name.EndsWith(".npz"))
            return new FileSummary(path, "NumPy .npz", NpyFile.ReadArchive(path).Select(kv => Summarise(kv.Key, kv.Value)).ToList());
        if (name.EndsWith(".h5") || name.EndsWith(".hdf5"))
            return new FileSummary(path, "HDF5", Hdf5File.Datasets(path).Select(d => Summarise(d, Hdf5File.Read(path, d))).ToList());
        if (ImageFile.IsImage(name))
        {
            var image = ImageFile.Read(path);
            string depth = image.DType switch { DType.UInt8 => "8-bit", DType.Int32 => "16-bit", _ => "32-bit float" };
            return new FileSummary(path, $"{System.IO.Path.GetExtension(name)[1..].ToUpperInvariant()} image, {depth}, {image.Size(0)} channel(s), {image.Size(2)}×{image.Size(1)}",
                [Summarise("pixels (C, H, W)", image)]);
        }
        throw new DataFormatException($"{path}: unknown file type (expected an image, .nii/.nii.gz, .npy, .npz, .h5 or .safetensors)");
    }

    private static ArraySummary Summarise(string name, Tensor t)
    {
        if (t.NumElements == 0) return new ArraySummary(name, t.Shape, t.DType.Name(), double.NaN, double.NaN, double.NaN);
        var d = t.To(DType.Float64);
        return new ArraySummary(name, t.Shape, t.DType.Name(), d.Min().Item(), d.Max().Item(), d.Mean().Item());
    }

    /// <summary>nibabel's aff2axcodes: for each voxel axis, the world axis it runs along most, R/L, A/P, S/I by sign.</summary>
    public static string AxisCodes(double[,] affine)
    {
        var codes = new char[3];
        for (int column = 0; column < 3; column++)
        {
            int best = 0;
            for (int row = 1; row < 3; row++)
                if (Math.Abs(affine[row, column]) > Math.Abs(affine[best, column])) best = row;
            bool positive = affine[best, column] >= 0;
            codes[column] = best switch { 0 => positive ? 'R' : 'L', 1 => positive ? 'A' : 'P', _ => positive ? 'S' : 'I' };
        }
        return new string(codes);
    }
}
