using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Skd.Torch;

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

    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Every array of an .npz archive, by name (without the .npy suffix), in archive order.</summary>
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
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                buffer.Position = 0;
                result[entry.FullName[..^4]] = Read(buffer, $"{path}:{entry.FullName}");
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

    private static Tensor Read(Stream stream, string name)
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
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(len));
        }
        else throw new DataFormatException($"{name}: unsupported .npy format version {major}.{prefix[7]}");
        if (headerLength > 1 << 20) throw new DataFormatException($"{name}: header of {headerLength} bytes is implausible");
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
        int itemSize = RawArrays.Size(element);
        double bytes = shape.Aggregate((double)itemSize, (a, b) => a * b);
        long remaining = stream.Length - stream.Position;
        if (bytes > remaining)
            throw new DataFormatException($"{name}: truncated: shape ({string.Join(", ", shape)}) of '{descr}' needs {bytes:0} bytes of data, the file has {remaining}");
        var data = new byte[(long)bytes];
        ReadExactly(stream, data, name, $"the data ({data.Length} bytes for shape ({string.Join(", ", shape)}) of '{descr}')");
        if (order == '>') RawArrays.SwapBytes(data, itemSize);

        long[] storedShape = fortran ? shape.Reverse().ToArray() : shape;
        Tensor tensor = RawArrays.ToTensor(data, element, storedShape);
        if (!fortran || shape.Length < 2) return tensor;
        using (tensor)
            return tensor.Permute(Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i).ToArray()).Contiguous();
    }

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

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=])([a-z]\d+)'")]
    private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string name)
    {
        var d = DescrPattern().Match(header);
        var f = FortranPattern().Match(header);
        var s = ShapePattern().Match(header);
        if (!d.Success || !f.Success || !s.Success)
            throw new DataFormatException($"{name}: malformed .npy header: {header.Trim()}");
        char order = d.Groups[1].Value[0] == '=' ? (BitConverter.IsLittleEndian ? '<' : '>') : d.Groups[1].Value[0];
        var dims = s.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => long.TryParse(v, out long n) && n >= 0 ? n : throw new DataFormatException($"{name}: bad shape ({s.Groups[1].Value})"))
            .ToArray();
        return (order + d.Groups[2].Value, f.Groups[1].Value == "True", dims);
    }
}
