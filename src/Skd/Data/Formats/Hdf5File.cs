using System.Text;

namespace Skd.Data.Formats;

/// <summary>HDF5 datasets through libhdf5 (TransUNet's Synapse test volumes: datasets "image" and "label").</summary>
public static class Hdf5File
{
    /// <summary>Names of the datasets at the file's root.</summary>
    public static unsafe IReadOnlyList<string> Datasets(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        int n = IoNative.skd_h5_list(path, null, 0);
        if (n < 0) throw IoNative.LastError(path);
        var buffer = new byte[n + 1];
        fixed (byte* b = buffer)
            if (IoNative.skd_h5_list(path, b, buffer.Length) < 0) throw IoNative.LastError(path);
        return n == 0 ? [] : Encoding.UTF8.GetString(buffer, 0, n).Split('\n');
    }

    /// <summary>The shape of a dataset, read from the file's metadata only.</summary>
    public static unsafe long[] Shape(string path, string dataset)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        long* dims = stackalloc long[16];
        if (IoNative.skd_h5_dataset_info(path, dataset, dims, 16, out int ndim, out _, out _, out _) != 0)
            throw IoNative.LastError(path);
        return new ReadOnlySpan<long>(dims, ndim).ToArray();
    }

    /// <summary>
    /// Reads a whole numeric dataset: float datasets as float32 (float64 stays float64), integer
    /// datasets as int64. Its declared shape is checked against <see cref="ReadLimits"/> first.
    /// </summary>
    public static unsafe Tensor Read(string path, string dataset)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        long* dims = stackalloc long[16];
        if (IoNative.skd_h5_dataset_info(path, dataset, dims, 16, out int ndim, out int typeClass, out int typeSize, out _) != 0)
            throw IoNative.LastError(path);
        var shape = new long[ndim];
        long count = 1;
        for (int i = 0; i < ndim; i++) shape[i] = dims[i];
        ReadLimits.Check(path, $"dataset '{dataset}' declares an array", shape);
        foreach (long d in shape) count *= d;
        (int asType, DType dtype) = typeClass == 1 ? (typeSize == 8 ? (1, DType.Float64) : (0, DType.Float32)) : (2, DType.Int64);
        Tensor tensor;
        try
        {
            tensor = torch.Empty(shape, dtype);
        }
        catch (TorchOutOfMemoryException)
        {
            throw new DataFormatException($"{path}: dataset '{dataset}' of shape [{string.Join(", ", shape)}] does not fit in memory");
        }
        try
        {
            if (count > 0)
            {
                void* dst = dtype switch
                {
                    DType.Float32 => System.Runtime.CompilerServices.Unsafe.AsPointer(ref tensor.AsSpan<float>()[0]),
                    DType.Float64 => System.Runtime.CompilerServices.Unsafe.AsPointer(ref tensor.AsSpan<double>()[0]),
                    _ => System.Runtime.CompilerServices.Unsafe.AsPointer(ref tensor.AsSpan<long>()[0]),
                };
                if (IoNative.skd_h5_read(path, dataset, asType, dst, count * dtype.ElementSize()) != 0)
                    throw IoNative.LastError(path);
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
