using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Skd.Data.Formats;

/// <summary>
/// NumPy's .npy (format versions 1–3) and .npz (a zip of .npy, stored or deflated) files, as
/// numpy.save / numpy.savez[_compressed] write them (NEP 1 / numpy.lib.format). Supported
/// element types: bool, int8/16/32/64, uint8/16/32, float16/32/64, either byte order, C or Fortran
/// order. uint16 is widened to int32 and uint32 to int64 (libtorch 1.13 has neither).
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array; its declared shape is checked against <see cref="ReadLimits"/> before its data is read.</summary>
    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path, 0);
    }

    /// <summary>
    /// Every array of an .npz archive, by name (without the .npy suffix), in archive order. The
    /// arrays together are held to <see cref="ReadLimits"/>, each checked from its header before it
    /// is decompressed, and no entry is decompressed past the data its header declares.
    /// </summary>
    public static Dictionary<string, Tensor> ReadArchive(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var result = new Dictionary<string, Tensor>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var stream = entry.Open();
                result[entry.FullName[..^4]] = Read(stream, $"{path}:{entry.FullName}", result.Values.Sum(t => t.NumElements));
            }
            return result;
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not FileNotFoundException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new DataFormatException($"{path}: not a readable .npz archive ({e.Message})");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>One array from <paramref name="stream"/>; <paramref name="before"/> elements already read from the same file (an archive's other arrays) count against the limit.</summary>
    private static Tensor Read(Stream stream, string name, long before)
    {
        var prefix = new byte[8];
        ReadExactly(stream, prefix, name, "the magic string");
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic)) throw new DataFormatException($"{name}: not a .npy file (no \\x93NUMPY magic)");
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var len = new byte[2];
            ReadExactly(stream, len, name, "the header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            var len = new byte[4];
            ReadExactly(stream, len, name, "the header length");
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(len);
            headerLength = length <= MaxHeaderLength ? (int)length : throw ImplausibleHeader(name, length);
        }
        else throw new DataFormatException($"{name}: unsupported .npy format version {major}.{prefix[7]}");
        if (headerLength > MaxHeaderLength) throw ImplausibleHeader(name, (uint)headerLength);
        var header = new byte[headerLength];
        ReadExactly(stream, header, name, "the header");
        var (descr, fortran, shape) = ParseHeader(Encoding.Latin1.GetString(header), name);

        char order = descr[0];
        string kind = descr[1..];
        var element = kind switch
        {
            "b1" => RawElement.Bool,
            "u1" => RawElement.UInt8,
            "i1" => RawElement.Int8,
            "i2" => RawElement.Int16,
            "u2" => RawElement.UInt16,
            "i4" => RawElement.Int32,
            "u4" => RawElement.UInt32,
            "i8" => RawElement.Int64,
            "f2" => RawElement.Float16,
            "f4" => RawElement.Float32,
            "f8" => RawElement.Float64,
            _ => throw new DataFormatException($"{name}: unsupported element type '{descr}'"),
        };
        ReadLimits.Check(name, "the header declares an array", shape, before);
        int itemSize = RawArrays.Size(element);
        long bytes = shape.Aggregate((long)itemSize, (a, b) => a * b);
        if (stream.CanSeek && bytes > stream.Length - stream.Position)
            throw new DataFormatException($"{name}: truncated: shape ({string.Join(", ", shape)}) of '{descr}' needs {bytes} bytes of data, the file has {stream.Length - stream.Position}");
        if (bytes > Array.MaxLength) throw new DataFormatException($"{name}: {bytes} bytes of data are more than one buffer holds");
        var data = new byte[bytes];
        ReadExactly(stream, data, name, $"the data ({data.Length} bytes for shape ({string.Join(", ", shape)}) of '{descr}')");
        if (order == '>') RawArrays.SwapBytes(data, itemSize);

        long[] storedShape = fortran ? shape.Reverse().ToArray() : shape;
        Tensor tensor = RawArrays.ToTensor(data, element, storedShape);
        if (!fortran || shape.Length < 2) return tensor;
        using (tensor)
            return tensor.Permute(Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i).ToArray()).Contiguous();
    }

    /// <summary>The longest header accepted: numpy's own headers are a few hundred bytes.</summary>
    private const int MaxHeaderLength = 1 << 20;

    private static DataFormatException ImplausibleHeader(string name, uint length) =>
        new($"{name}: header of {length} bytes is implausible (at most {MaxHeaderLength})");

    private static void ReadExactly(Stream stream, byte[] buffer, string name, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) throw new DataFormatException($"{name}: truncated while reading {what}: {total} of {buffer.Length} bytes");
            total += n;
        }
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string name)
    {
        var d = Entry(header, "descr", @"'([<>|=])([a-z]\d+)'");
        var f = Entry(header, "fortran_order", "(True|False)");
        var s = Entry(header, "shape", @"\(([^)]*)\)");
        if (!d.Success || !f.Success || !s.Success)
            throw new DataFormatException($"{name}: malformed .npy header: {header.Trim()}");
        char order = d.Groups[1].Value[0] == '=' ? (BitConverter.IsLittleEndian ? '<' : '>') : d.Groups[1].Value[0];
        var dims = s.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => long.TryParse(v, out long n) && n >= 0 ? n : throw new DataFormatException($"{name}: bad shape ({s.Groups[1].Value})"))
            .ToArray();
        return (order + d.Groups[2].Value, f.Groups[1].Value == "True", dims);
    }

    /// <summary>The entry <paramref name="key"/> of the header's dictionary, its value matched by <paramref name="value"/> (whose groups capture it).</summary>
    private static Match Entry(string header, string key, string value) => Regex.Match(header, $@"'{key}'\s*:\s*{value}");
}
