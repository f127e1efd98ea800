namespace Skd.Torch;

/// <summary>Element types; the values are libtorch's c10::ScalarType codes.</summary>
public enum DType
{
    UInt8 = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Int8 or DType.Bool => 1,
        DType.Int16 or DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float16 or DType.Float32 or DType.Float64 or DType.BFloat16;

    /// <summary>PyTorch's name: float32, int64, bool, ...</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.UInt8 => "uint8",
        DType.Int8 => "int8",
        DType.Int16 => "int16",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Float16 => "float16",
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Bool => "bool",
        DType.BFloat16 => "bfloat16",
        _ => dtype.ToString(),
    };

    /// <summary>The dtype that holds elements of the managed type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        throw new TorchDtypeException($"no tensor dtype holds {typeof(T).Name}");
    }
}
