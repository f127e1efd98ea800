using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace Skd.Torch;

/// <summary>
/// Reads and writes safetensors files, the format of Hugging Face's <c>safetensors</c> library
/// (specification: https://github.com/huggingface/safetensors, "Format"):
/// <list type="number">
/// <item>8 bytes: N, the header length, an unsigned little-endian 64-bit integer;</item>
/// <item>N bytes: the header, UTF-8 JSON starting with <c>{</c>, mapping each tensor name to
/// <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c>, with an optional
/// <c>"__metadata__"</c> map of strings to strings;</item>
/// <item>the byte buffer: each tensor's elements, little-endian and row-major, at
/// [begin, end) of the buffer. The tensors cover the buffer exactly: no holes, no overlaps,
/// nothing after the last one.</item>
/// </list>
/// The writer does what the reference writer (<c>safetensors.torch.save_file</c>) does, so the files
/// are byte-identical to its own; the reader checks everything the reference reader checks.
/// The host is assumed little-endian, as every platform libtorch runs on is.
/// </summary>
public static class Safetensors
{
    /// <summary>The reference reader's limit on N (its MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>The most bytes one read or write moves (spans are int-sized; tensors may be larger).</summary>
    private const int ChunkBytes = 1 << 30;

    /// <summary>The format's dtype names libtorch 1.13 has, in the reference's alignment order.</summary>
    private static readonly (string Name, DType DType)[] Dtypes =
    [
        ("BOOL", DType.Bool), ("U8", DType.UInt8), ("I8", DType.Int8), ("I16", DType.Int16), ("F16", DType.Float16),
        ("BF16", DType.BFloat16), ("I32", DType.Int32), ("F32", DType.Float32), ("F64", DType.Float64), ("I64", DType.Int64),
    ];

    /// <summary>Dtypes of the format that libtorch 1.13 has no tensor type for.</summary>
    private static readonly string[] UnsupportedDtypes = ["U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // ---- writing -------------------------------------------------------------------------

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, any layout) and <paramref name="metadata"/> to
    /// <paramref name="stream"/> in the safetensors format. Like the reference writer it orders the
    /// tensors by descending alignment of their dtype, then by name, so every tensor starts at a
    /// multiple of its element size, and pads the header with spaces to a multiple of 8 bytes. The
    /// names are checked before the first byte is written. Files are written by the toolkit's atomic
    /// writer (Skd's SafetensorsFile), which gives it the stream.
    /// </summary>
    /// <exception cref="ArgumentException">A name appears twice, is <c>__metadata__</c>, or is not valid Unicode.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in entries)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(tensors));
            if (tensor is null) throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for the metadata and cannot name a tensor", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
        }

        var ordered = entries
            .Select(e => (Name: e.Key, e.Value.DType, e.Value.Shape, Tensor: e.Value))
            .OrderByDescending(e => Rank(e.DType))
            .ThenBy(e => e.Name, Utf8Order.Instance)
            .ToList();
        byte[] header = Header(ordered.Select(e => (e.Name, e.DType, e.Shape)), metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var e in ordered) WriteData(stream, e.Tensor, ByteLength(e.DType, e.Shape));
    }

    /// <summary>
    /// The header as the reference writes it: compact JSON (serde_json), <c>__metadata__</c> first
    /// (its keys sorted here, where the reference's hash map has no order), then the tensors in data
    /// order with their fields in the order dtype, shape, data_offsets; padded with spaces to a
    /// multiple of 8 bytes.
    /// </summary>
    private static byte[] Header(IEnumerable<(string Name, DType DType, long[] Shape)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var members = new List<string>();
        if (metadata != null)
            members.Add($"{Quote(MetadataKey)}:{{{string.Join(',', metadata.OrderBy(kv => kv.Key, Utf8Order.Instance).Select(kv => $"{Quote(kv.Key)}:{Quote(kv.Value ?? throw new ArgumentException($"metadata value of '{kv.Key}' is null", nameof(metadata)))}"))}}}");
        long offset = 0;
        foreach (var (name, dtype, shape) in tensors)
        {
            long end = offset + ByteLength(dtype, shape);
            members.Add($"{Quote(name)}:{{\"dtype\":\"{Dtypes[Rank(dtype)].Name}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{end}]}}");
            offset = end;
        }
        byte[] json;
        try
        {
            json = StrictUtf8.GetBytes("{" + string.Join(',', members) + "}");
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("a tensor name or metadata string is not valid Unicode (a lone surrogate?)", e);
        }
        var padded = new byte[(json.Length + 7) / 8 * 8];
        json.CopyTo(padded, 0);
        padded.AsSpan(json.Length).Fill((byte)' ');
        return padded;
    }

    /// <summary>A JSON string, escaped as serde_json (and Python's json with ensure_ascii=False) escape it.</summary>
    private static string Quote(string s)
    {
        var json = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case < ' ': json.Append("\\u").Append(((int)c).ToString("x4")); break;
                default: json.Append(c); break;
            }
        }
        return json.Append('"').ToString();
    }

    /// <summary>Writes the tensor's bytes straight from its storage (or from that of a CPU, contiguous copy).</summary>
    private static unsafe void WriteData(Stream stream, Tensor tensor, long byteLength)
    {
        if (byteLength == 0) return;
        using var detached = tensor.Detach();
        using var cpu = detached.Cpu();
        using var contiguous = cpu.Contiguous();
        byte* data = (byte*)Native.Check(Native.skd_data_ptr(contiguous.Handle));
        for (long done = 0; done < byteLength; done += ChunkBytes)
            stream.Write(new ReadOnlySpan<byte>(data + done, (int)Math.Min(ChunkBytes, byteLength - done)));
    }

    // ---- reading -------------------------------------------------------------------------

    /// <summary>
    /// Reads every tensor of the file at <paramref name="path"/> onto the CPU. Each tensor's bytes go
    /// from the file straight into the tensor's storage, after the whole header has been checked.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="SafetensorsFormatException">The file is truncated, malformed or inconsistent; the message names it and the problem.</exception>
    public static SafetensorsContents Load(string path)
    {
        using var file = OpenRead(path);
        var header = ReadHeader(file, path);
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in header.Tensors) tensors.Add(info.Name, ReadTensor(file, path, header.DataStart, info));
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return new SafetensorsContents(tensors, header.Metadata);
    }

    /// <summary>The names, dtypes, shapes, offsets and metadata the file declares, checked as <see cref="Load"/> checks them, without reading any tensor.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="SafetensorsFormatException">The file is truncated, malformed or inconsistent.</exception>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var file = OpenRead(path);
        return ReadHeader(file, path);
    }

    private static SafeFileHandle OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    private static SafetensorsHeader ReadHeader(SafeFileHandle file, string path)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8) throw Error(path, $"truncated: the file has {fileLength} bytes, fewer than the 8 of the header length");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(file, path, prefix, 0);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderLength) throw Error(path, $"header length {n} exceeds the limit of {MaxHeaderLength} bytes");
        if ((long)n > fileLength - 8) throw Error(path, $"truncated: header says {n} bytes but the file has {fileLength - 8} after the 8-byte length");

        var json = new byte[n];
        ReadExactly(file, path, json, 8);
        if (!Utf8.IsValid(json)) throw Error(path, "header is not valid UTF-8");
        if (json.Length == 0 || json[0] != (byte)'{') throw Error(path, "header does not start with '{' (not a safetensors file?)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Error(path, $"header is not valid JSON: {e.Message}");
        }
        using (document)
        {
            try
            {
                return Interpret(path, document.RootElement, dataStart: 8 + (long)n, dataLength: fileLength - 8 - (long)n);
            }
            catch (InvalidOperationException e) // System.Text.Json's reaction to an escaped lone surrogate
            {
                throw Error(path, $"header holds an invalid string: {e.Message}");
            }
        }
    }

    private static SafetensorsHeader Interpret(string path, JsonElement root, long dataStart, long dataLength)
    {
        var tensors = new List<SafetensorsTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!keys.Add(property.Name)) throw Error(path, $"'{property.Name}' appears twice in the header");
            if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
            else tensors.Add(TensorInfo(path, property.Name, property.Value));
        }

        // The reference reader's check: sorted by offsets, the tensors tile the buffer exactly.
        long covered = 0;
        string? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin > covered)
                throw Error(path, $"hole in the data: bytes [{covered}, {t.Begin}) belong to no tensor (the next is '{t.Name}')");
            if (t.Begin < covered)
                throw Error(path, $"tensor '{t.Name}' data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous}', which ends at {covered}");
            covered = t.End;
            previous = t.Name;
        }
        if (covered > dataLength)
            throw Error(path, $"truncated: the tensors need {covered} bytes of data but the file has {dataLength} after the header");
        if (covered < dataLength)
            throw Error(path, $"{dataLength - covered} bytes of trailing data: the tensors cover {covered} of the {dataLength} bytes after the header");
        return new SafetensorsHeader(tensors, metadata, dataStart);
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return; // the reference's Option<HashMap> reads null as none
        if (value.ValueKind != JsonValueKind.Object) throw Error(path, $"{MetadataKey} is a JSON {Kind(value)}, not an object of strings");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Error(path, $"{MetadataKey} value of '{entry.Name}' is a JSON {Kind(entry.Value)}, not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!)) throw Error(path, $"{MetadataKey} key '{entry.Name}' appears twice");
        }
    }

    private static SafetensorsTensorInfo TensorInfo(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(path, $"tensor '{name}' is a JSON {Kind(value)}, not an object with dtype, shape and data_offsets");
        JsonElement Field(string field) => value.TryGetProperty(field, out var f) ? f : throw Error(path, $"tensor '{name}' has no \"{field}\"");

        var dtypeField = Field("dtype");
        string dtypeName = dtypeField.ValueKind == JsonValueKind.String ? dtypeField.GetString()! : throw Error(path, $"tensor '{name}' dtype is a JSON {Kind(dtypeField)}, not a string");
        int index = Array.FindIndex(Dtypes, d => d.Name == dtypeName);
        if (index < 0)
            throw Error(path, UnsupportedDtypes.Contains(dtypeName)
                ? $"tensor '{name}' has dtype '{dtypeName}', which libtorch 1.13 does not support"
                : $"unknown dtype '{dtypeName}' for tensor '{name}'");
        DType dtype = Dtypes[index].DType;

        long[] shape = Integers(Field("shape")) ?? throw Error(path, $"tensor '{name}' shape is not a list of non-negative integers");
        long[] offsets = Integers(Field("data_offsets")) is { Length: 2 } o ? o : throw Error(path, $"tensor '{name}' data_offsets is not a pair [begin, end] of non-negative integers");
        if (offsets[1] < offsets[0]) throw Error(path, $"tensor '{name}' data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");

        long byteLength;
        try
        {
            byteLength = ByteLength(dtype, shape);
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}' shape [{string.Join(", ", shape)}] has more elements than 64 bits count");
        }
        if (offsets[1] - offsets[0] != byteLength)
            throw Error(path, $"tensor '{name}' data_offsets [{offsets[0]}, {offsets[1]}] do not match shape [{string.Join(", ", shape)}] of {dtypeName} ({byteLength} bytes)");
        return new SafetensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>A JSON array of non-negative integers that fit a long, or null.</summary>
    private static long[]? Integers(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return null;
        var result = new long[value.GetArrayLength()];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out result[i]) || result[i] < 0) return null;
            i++;
        }
        return result;
    }

    private static unsafe Tensor ReadTensor(SafeFileHandle file, string path, long dataStart, SafetensorsTensorInfo info)
    {
        var tensor = torch.Empty(info.Shape, info.DType);
        try
        {
            if (info.ByteLength == 0) return tensor;
            byte* data = (byte*)Native.Check(Native.skd_data_ptr(tensor.Handle));
            for (long done = 0; done < info.ByteLength; done += ChunkBytes)
            {
                var chunk = new Span<byte>(data + done, (int)Math.Min(ChunkBytes, info.ByteLength - done));
                ReadExactly(file, path, chunk, dataStart + info.Begin + done);
                // libtorch assumes a bool is 0 or 1; any other byte would make comparisons lie.
                int bad = info.DType == DType.Bool ? chunk.IndexOfAnyExcept((byte)0, (byte)1) : -1;
                if (bad >= 0)
                    throw Error(path, $"tensor '{info.Name}' is BOOL but its element {done + bad} is the byte {chunk[bad]}, not 0 or 1");
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void ReadExactly(SafeFileHandle file, string path, Span<byte> buffer, long position)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, position);
            if (read == 0) throw Error(path, $"truncated: the file ended at byte {position} while being read (did it change?)");
            buffer = buffer[read..];
            position += read;
        }
    }

    // ---- shared --------------------------------------------------------------------------

    private static SafetensorsFormatException Error(string path, string problem) => new($"{path}: {problem}");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static int Rank(DType dtype) => Array.FindIndex(Dtypes, d => d.DType == dtype);

    /// <summary>Elements × element size; throws <see cref="OverflowException"/> past 64 bits, multiplying left to right as the reference does.</summary>
    private static long ByteLength(DType dtype, long[] shape)
    {
        long count = 1;
        foreach (long size in shape) count = checked(count * size);
        return checked(count * dtype.ElementSize());
    }

    /// <summary>Byte order of UTF-8, the order Rust's String::cmp sorts names by (and Python's str sort agrees).</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(string? x, string? y) => Encoding.UTF8.GetBytes(x!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y!));
    }
}

/// <summary>One tensor's entry in a safetensors header: its bytes are [<see cref="Begin"/>, <see cref="End"/>) of the data buffer.</summary>
public sealed record SafetensorsTensorInfo(string Name, DType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// What a safetensors header declares: the tensors in header order, the <c>__metadata__</c> strings
/// (empty when there are none), and <see cref="DataStart"/>, the file position of the data buffer (8 + N).
/// </summary>
public sealed record SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart);

/// <summary>
/// The tensors (CPU, in the file's header order) and metadata of a loaded safetensors file.
/// Disposing it disposes the tensors; take one out of it by <see cref="Tensor.Alias"/> to keep it.
/// Like every new tensor they also belong to the <see cref="DisposeScope"/> open when they were
/// loaded, if any (disposing twice is harmless).
/// </summary>
public sealed class SafetensorsContents : IDisposable
{
    internal SafetensorsContents(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
