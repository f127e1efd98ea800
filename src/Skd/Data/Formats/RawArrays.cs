using System.Runtime.InteropServices;

namespace Skd.Data.Formats;

/// <summary>Element types as files store them; unsigned types libtorch 1.13 lacks are widened on reading.</summary>
internal enum RawElement { Bool, UInt8, Int8, Int16, UInt16, Int32, UInt32, Int64, Float16, Float32, Float64 }

/// <summary>
/// Turns a file's raw, native-byte-order element bytes into a tensor: the one decoding step the
/// readers (<see cref="ImageFile"/>, <see cref="NpyFile"/>, <see cref="NiftiFile"/>) share. uint16
/// becomes int32 and uint32 int64, so every value survives.
/// </summary>
internal static class RawArrays
{
    public static int Size(RawElement e) => e switch
    {
        RawElement.Bool or RawElement.UInt8 or RawElement.Int8 => 1,
        RawElement.Int16 or RawElement.UInt16 or RawElement.Float16 => 2,
        RawElement.Int32 or RawElement.UInt32 or RawElement.Float32 => 4,
        _ => 8,
    };

    public static Tensor ToTensor(ReadOnlySpan<byte> data, RawElement element, long[] shape) => element switch
    {
        RawElement.Bool => Tensor.From(MemoryMarshal.Cast<byte, bool>(data), shape),
        RawElement.UInt8 => Tensor.From(data, shape),
        RawElement.Int8 => Tensor.From(MemoryMarshal.Cast<byte, sbyte>(data), shape),
        RawElement.Int16 => Tensor.From(MemoryMarshal.Cast<byte, short>(data), shape),
        RawElement.UInt16 => Widen<ushort, int>(data, shape, v => v),
        RawElement.Int32 => Tensor.From(MemoryMarshal.Cast<byte, int>(data), shape),
        RawElement.UInt32 => Widen<uint, long>(data, shape, v => v),
        RawElement.Int64 => Tensor.From(MemoryMarshal.Cast<byte, long>(data), shape),
        RawElement.Float16 => Tensor.From(MemoryMarshal.Cast<byte, Half>(data), shape),
        RawElement.Float32 => Tensor.From(MemoryMarshal.Cast<byte, float>(data), shape),
        _ => Tensor.From(MemoryMarshal.Cast<byte, double>(data), shape),
    };

    private static Tensor Widen<TNarrow, TWide>(ReadOnlySpan<byte> data, long[] shape, Func<TNarrow, TWide> widen)
        where TNarrow : unmanaged where TWide : unmanaged
    {
        var narrow = MemoryMarshal.Cast<byte, TNarrow>(data);
        var wide = new TWide[narrow.Length];
        for (int i = 0; i < wide.Length; i++) wide[i] = widen(narrow[i]);
        return Tensor.From<TWide>(wide, shape);
    }

    /// <summary>Reverses the bytes of every element: between a file's byte order and this machine's.</summary>
    public static void SwapBytes(Span<byte> data, int size)
    {
        if (size == 1) return;
        for (int i = 0; i + size <= data.Length; i += size) data.Slice(i, size).Reverse();
    }
}
