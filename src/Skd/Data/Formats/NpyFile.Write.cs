using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Skd.Data.Formats;

public static partial class NpyFile
{
    /// <summary>
    /// Writes named arrays as an .npz archive, as numpy.savez_compressed does: one deflated zip entry
    /// <c>NAME.npy</c> per array, each a format-1.0 .npy (C order, the machine's byte order, the header
    /// padded with spaces and a newline to a multiple of 64 bytes as numpy.lib.format writes it), through
    /// <see cref="AtomicFile"/>. Element types: bool, uint8, int8/16/32/64, float16/32/64.
    /// </summary>
    /// <exception cref="ArgumentException">An array of another element type, or a name that is not a plain file name.</exception>
    public static void WriteArchive(string path, IReadOnlyDictionary<string, Tensor> arrays)
    {
        var entries = arrays.Select(a => (Name: CheckedName(path, a.Key) + ".npy", Bytes: Encode(a.Value, $"{path}:{a.Key}"))).ToList();
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, bytes) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
        });
    }

    private static string CheckedName(string path, string name) =>
        name.Length > 0 && name.IndexOfAny(['/', '\\']) < 0 ? name : throw new ArgumentException($"{path}: '{name}' cannot name an array of an .npz archive");

    /// <summary>The .npy bytes of a tensor: magic, version 1.0, header, data.</summary>
    private static byte[] Encode(Tensor array, string name)
    {
        using var scope = new DisposeScope();
        var t = array.Cpu().Contiguous();
        var (kind, data) = t.DType switch
        {
            DType.Bool => ("b1", Bytes<bool>(t)),
            DType.UInt8 => ("u1", Bytes<byte>(t)),
            DType.Int8 => ("i1", Bytes<sbyte>(t)),
            DType.Int16 => ("i2", Bytes<short>(t)),
            DType.Int32 => ("i4", Bytes<int>(t)),
            DType.Int64 => ("i8", Bytes<long>(t)),
            DType.Float16 => ("f2", Bytes<Half>(t)),
            DType.Float32 => ("f4", Bytes<float>(t)),
            DType.Float64 => ("f8", Bytes<double>(t)),
            var other => throw new ArgumentException($"{name}: .npy files of {other} are not written"),
        };
        char order = kind is "b1" or "u1" or "i1" ? '|' : BitConverter.IsLittleEndian ? '<' : '>';
        var header = Encoding.Latin1.GetBytes(Header(order + kind, t.Shape));
        var bytes = new byte[Magic.Length + 4 + header.Length + data.Length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte)(header.Length & 0xff);
        bytes[9] = (byte)(header.Length >> 8);
        header.CopyTo(bytes, 10);
        data.CopyTo(bytes, 10 + header.Length);
        return bytes;
    }

    private static byte[] Bytes<T>(Tensor t) where T : unmanaged => MemoryMarshal.AsBytes(t.ToArray<T>().AsSpan()).ToArray();

    /// <summary>numpy.lib.format's header: the dict's repr, spaces, and a newline ending at a multiple of 64 bytes from the file's start.</summary>
    private static string Header(string descr, long[] shape)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = Magic.Length + 4 + dict.Length + 1;
        int length = dict.Length + 1 + (64 - unpadded % 64) % 64;
        if (length > ushort.MaxValue) throw new ArgumentException($"an array of {shape.Length} dimensions has too long a .npy header");
        return dict.PadRight(length - 1) + "\n";
    }
}
