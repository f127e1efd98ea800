using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Skd.Data.Formats;

/// <summary>
/// A volume and its geometry. <see cref="Data"/> is (D, H, W) = (nz, ny, nx) for a 3-D file (the
/// file's own x-fastest order, so element [k, j, i] is nibabel's <c>img.dataobj[i, j, k]</c>), with
/// any further NIfTI dims (t, ...) in front. <see cref="Affine"/> maps voxel (i, j, k, 1) to
/// scanner millimetres, as nibabel's <c>img.affine</c>.
/// </summary>
public sealed class Volume : IDisposable
{
    public required Tensor Data { get; init; }
    /// <summary>Voxel size along i, j, k (x, y, z) in millimetres: pixdim[1..3].</summary>
    public required double[] Spacing { get; init; }
    /// <summary>Row-major 4×4 voxel-to-world matrix.</summary>
    public required double[,] Affine { get; init; }
    /// <summary>The 348-byte header it was read from (a template for writing results back), or null.</summary>
    public byte[]? Header { get; init; }

    public void Dispose() => Data.Dispose();
}

/// <summary>
/// NIfTI-1 volumes, <c>.nii</c> and <c>.nii.gz</c> (single-file "n+1"), either byte order; data
/// types uint8, int8, int16, uint16, int32, uint32, int64, float32, float64; scl_slope/scl_inter
/// applied (the result is then float32, or float64 for float64 data); affine from sform, else
/// qform, else nibabel's centred base affine. Written back with a source header as template so
/// predictions keep the input's geometry. Format: NIfTI-1 specification (nifti1.h, NIfTI DFWG).
/// </summary>
public static class NiftiFile
{
    private const int HeaderSize = 348;

    public static bool IsNifti(string path) =>
        path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the volume. The header is checked against <see cref="ReadLimits"/> before anything
    /// else is read, and no more than the declared data is read or decompressed.
    /// </summary>
    public static Volume Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Parse(stream, file.Length, path);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path}: corrupt gzip stream ({e.Message})");
        }
    }

    /// <summary>The volume from a stream at the file's start; <paramref name="fileLength"/>, the size on disk, bounds an uncompressed file's data.</summary>
    private static Volume Parse(Stream stream, long fileLength, string path)
    {
        var b = new byte[HeaderSize];
        int got = stream.ReadAtLeast(b, HeaderSize, throwOnEndOfStream: false);
        if (got < HeaderSize) throw new DataFormatException($"{path}: truncated: {got} bytes, a NIfTI-1 header alone is {HeaderSize}");
        bool little = BinaryPrimitives.ReadInt32LittleEndian(b) == HeaderSize;
        if (!little && BinaryPrimitives.ReadInt32BigEndian(b) != HeaderSize)
            throw new DataFormatException($"{path}: not a NIfTI-1 file (sizeof_hdr is not 348)");
        var h = new HeaderReader(b, little);
        string magic = Encoding.ASCII.GetString(b, 344, 3);
        if (magic != "n+1") throw new DataFormatException($"{path}: magic '{magic}' is not 'n+1' (only single-file NIfTI-1 is supported)");

        int ndim = h.Int16(40);
        if (ndim is < 1 or > 7) throw new DataFormatException($"{path}: dim[0] = {ndim} is not in 1..7");
        var dims = Enumerable.Range(1, ndim).Select(i => (long)h.Int16(40 + 2 * i)).ToArray();
        if (dims.Any(d => d < 1)) throw new DataFormatException($"{path}: invalid dimensions [{string.Join(", ", dims)}]");
        int datatype = h.Int16(70);
        double offset = h.Float(108);
        var element = datatype switch
        {
            2 => RawElement.UInt8,
            256 => RawElement.Int8,
            4 => RawElement.Int16,
            512 => RawElement.UInt16,
            8 => RawElement.Int32,
            768 => RawElement.UInt32,
            1024 => RawElement.Int64,
            16 => RawElement.Float32,
            64 => RawElement.Float64,
            _ => throw new DataFormatException($"{path}: unsupported NIfTI datatype {datatype}"),
        };
        ReadLimits.Check(path, "the header declares a volume", dims);
        int size = RawArrays.Size(element);
        long count = dims.Aggregate(1L, (x, y) => x * y);
        long bytes = count * size;
        if (!(offset >= HeaderSize && offset <= int.MaxValue))
            throw new DataFormatException($"{path}: vox_offset {offset} is not a byte position after the {HeaderSize}-byte header");
        if (bytes > Array.MaxLength) throw new DataFormatException($"{path}: {bytes} bytes of data are more than one buffer holds");
        long start = (long)offset;
        // A compressed stream is read up to the data (extensions dropped); a file's size tells at once.
        if (stream.CanSeek ? start + bytes > fileLength : !Skip(stream, start - HeaderSize))
            throw Truncated(path, dims, datatype, bytes, start, stream.CanSeek ? fileLength - start : null);
        if (stream.CanSeek) stream.Position = start;

        var body = new byte[bytes];
        got = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (got < body.Length) throw Truncated(path, dims, datatype, bytes, start, got);
        if (little != BitConverter.IsLittleEndian) RawArrays.SwapBytes(body, size);
        Tensor raw = RawArrays.ToTensor(body, element, dims.Reverse().ToArray());
        double slope = h.Float(112), inter = h.Float(116);
        Tensor data = raw;
        if (slope != 0 && double.IsFinite(slope) && double.IsFinite(inter) && !(slope == 1 && inter == 0))
        {
            using (raw)
            using (var asFloat = raw.To(element == RawElement.Float64 ? DType.Float64 : DType.Float32))
                data = asFloat * slope + inter;
        }
        var spacing = new[] { h.Float(80), h.Float(84), h.Float(88) };
        return new Volume { Data = data, Spacing = spacing, Affine = BestAffine(h, dims, spacing), Header = b };
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes (the extensions before the data); false if the stream ends first.</summary>
    private static bool Skip(Stream stream, long count)
    {
        var scratch = new byte[81920];
        for (long left = count; left > 0;)
        {
            int n = stream.Read(scratch, 0, (int)Math.Min(scratch.Length, left));
            if (n == 0) return false;
            left -= n;
        }
        return true;
    }

    private static DataFormatException Truncated(string path, long[] dims, int datatype, long bytes, long offset, long? available) => new(
        $"{path}: truncated: dims [{string.Join(", ", dims)}] of datatype {datatype} need {bytes} bytes after offset {offset}, " +
        (available is { } n ? $"the file has {Math.Max(n, 0)}" : "the compressed stream ends before the data"));

    /// <summary>nibabel's get_best_affine: sform if sform_code &gt; 0, else qform if qform_code &gt; 0, else the centred base affine.</summary>
    private static double[,] BestAffine(HeaderReader h, long[] dims, double[] spacing)
    {
        var a = new double[4, 4];
        a[3, 3] = 1;
        if (h.Int16(254) > 0)
        {
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 4; c++) a[r, c] = h.Float(280 + 16 * r + 4 * c);
            return a;
        }
        if (h.Int16(252) > 0)
        {
            // NIfTI-1 method 2: rotation from the quaternion (b, c, d), a = √(1 − b² − c² − d²).
            double b = h.Float(256), c = h.Float(260), d = h.Float(264);
            double qfac = h.Float(76) < 0 ? -1 : 1;
            double aa = 1 - (b * b + c * c + d * d);
            double q0;
            if (aa < 1e-7)
            {
                double norm = Math.Sqrt(b * b + c * c + d * d);
                (b, c, d, q0) = (b / norm, c / norm, d / norm, 0);
            }
            else q0 = Math.Sqrt(aa);
            double[,] rot =
            {
                { q0 * q0 + b * b - c * c - d * d, 2 * (b * c - q0 * d), 2 * (b * d + q0 * c) },
                { 2 * (b * c + q0 * d), q0 * q0 + c * c - b * b - d * d, 2 * (c * d - q0 * b) },
                { 2 * (b * d - q0 * c), 2 * (c * d + q0 * b), q0 * q0 + d * d - c * c - b * b },
            };
            double[] zoom = [spacing[0], spacing[1], spacing[2] * qfac];
            for (int r = 0; r < 3; r++)
            {
                for (int col = 0; col < 3; col++) a[r, col] = rot[r, col] * zoom[col];
                a[r, 3] = h.Float(268 + 4 * r);
            }
            return a;
        }
        // nibabel's base affine (shape_zoom_affine with its x flip): centred on the middle voxel.
        for (int r = 0; r < 3; r++)
        {
            double n = r < dims.Length ? dims[r] : 1;
            double z = (spacing[r] == 0 ? 1 : spacing[r]) * (r == 0 ? -1 : 1);
            a[r, r] = z;
            a[r, 3] = -(n - 1) / 2.0 * z;
        }
        return a;
    }

    /// <summary>
    /// Writes <paramref name="data"/> ((D, H, W), any leading dims) as NIfTI-1, gzipped for .nii.gz,
    /// atomically (temporary file, then rename). With a <paramref name="template"/> header (the
    /// input's), every geometry field is kept; otherwise spacing and affine come from the arguments.
    /// Integer tensors are stored as int16 when they fit (labels), else int32/int64; floats as float32.
    /// </summary>
    public static void Write(string path, Tensor data, byte[]? template = null, double[]? spacing = null, double[,]? affine = null)
    {
        using var scope = new DisposeScope();
        if (data.Dim is < 1 or > 7) throw new ArgumentException($"{path}: a NIfTI volume has 1 to 7 dimensions, got {data.Dim}");
        var shape = data.Shape;
        if (shape.Any(d => d > short.MaxValue)) throw new ArgumentException($"{path}: NIfTI-1 dimensions are at most 32767");
        Tensor stored;
        int datatype, bitpix;
        if (data.DType.IsFloatingPoint()) (stored, datatype, bitpix) = (data.To(DType.Float32), 16, 32);
        else if (data.DType == DType.UInt8 || data.DType == DType.Bool) (stored, datatype, bitpix) = (data.To(DType.UInt8), 2, 8);
        else
        {
            double min = data.NumElements == 0 ? 0 : data.Min().Item(), max = data.NumElements == 0 ? 0 : data.Max().Item();
            (stored, datatype, bitpix) = min >= short.MinValue && max <= short.MaxValue ? (data.To(DType.Int16), 4, 16)
                : min >= int.MinValue && max <= int.MaxValue ? (data.To(DType.Int32), 8, 32) : (data.To(DType.Int64), 1024, 64);
        }
        stored = stored.Contiguous();

        var header = template is { Length: HeaderSize } ? (byte[])template.Clone() : NewHeader(spacing, affine);
        bool little = BinaryPrimitives.ReadInt32LittleEndian(header) == HeaderSize;
        var w = new HeaderWriter(header, little);
        w.Int16(40, (short)shape.Length);
        for (int i = 1; i <= 7; i++) w.Int16(40 + 2 * i, (short)(i <= shape.Length ? shape[^i] : 1));
        w.Int16(70, (short)datatype);
        w.Int16(72, (short)bitpix);
        w.Float(108, 352);
        w.Float(112, 1);
        w.Float(116, 0);
        Encoding.ASCII.GetBytes("n+1\0").CopyTo(header, 344);

        byte[] body = stored.DType switch
        {
            DType.UInt8 => stored.ToArray<byte>(),
            DType.Int16 => Bytes<short>(stored.ToArray<short>(), 2, little),
            DType.Int32 => Bytes<int>(stored.ToArray<int>(), 4, little),
            DType.Int64 => Bytes<long>(stored.ToArray<long>(), 8, little),
            _ => Bytes<float>(stored.ToArray<float>(), 4, little),
        };
        AtomicFile.Write(path, file =>
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                WriteTo(file);
                return;
            }
            using var gz = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            WriteTo(gz);
        });

        void WriteTo(Stream output)
        {
            output.Write(header);
            output.Write(new byte[4]); // extension flag: no extensions
            output.Write(body);
        }
    }

    private static byte[] Bytes<T>(T[] values, int size, bool little) where T : unmanaged
    {
        byte[] bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (little != BitConverter.IsLittleEndian) RawArrays.SwapBytes(bytes, size);
        return bytes;
    }

    private static byte[] NewHeader(double[]? spacing, double[,]? affine)
    {
        var header = new byte[HeaderSize];
        var w = new HeaderWriter(header, true);
        BinaryPrimitives.WriteInt32LittleEndian(header, HeaderSize);
        spacing ??= [1, 1, 1];
        w.Float(76, 1);
        for (int i = 0; i < 3; i++) w.Float(80 + 4 * i, spacing[i]);
        header[123] = 2; // xyzt_units: millimetres
        if (affine is null)
        {
            affine = new double[4, 4];
            for (int i = 0; i < 3; i++) affine[i, i] = spacing[i];
            affine[3, 3] = 1;
        }
        w.Int16(254, 1); // sform_code: scanner
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++) w.Float(280 + 16 * r + 4 * c, affine[r, c]);
        return header;
    }

    private readonly struct HeaderReader(byte[] b, bool little)
    {
        public short Int16(int at) => little ? BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(at));
        public double Float(int at) => little ? BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(at));
    }

    private readonly struct HeaderWriter(byte[] b, bool little)
    {
        public void Int16(int at, short v)
        {
            if (little) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(at), v);
            else BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(at), v);
        }

        public void Float(int at, double v)
        {
            if (little) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), (float)v);
            else BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(at), (float)v);
        }
    }
}
