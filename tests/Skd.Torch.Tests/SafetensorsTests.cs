using System.Buffers.Binary;
using System.Text;

namespace Skd.Torch.Tests;

/// <summary>
/// Safetensors against the format specification (https://github.com/huggingface/safetensors) and
/// against Fixtures/reference.safetensors, which make_safetensors_fixture.py lays out by hand as the
/// reference writer does.
/// </summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skd-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>The format's writer into a file (the toolkit's files are written atomically by Skd's SafetensorsFile, tested there).</summary>
    private static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var buffer = new MemoryStream();
        Safetensors.Write(buffer, tensors, metadata);
        File.WriteAllBytes(path, buffer.ToArray());
    }

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference.safetensors");

    // ---- helpers -------------------------------------------------------------------------

    /// <summary>A file from a header JSON and data bytes, the header padded to 8 unless told otherwise.</summary>
    private string WriteRaw(string name, string header, byte[]? data = null, bool pad = true)
    {
        if (pad) header += new string(' ', (8 - Encoding.UTF8.GetByteCount(header) % 8) % 8);
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + (data?.Length ?? 0)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data?.CopyTo(bytes, 8 + json.Length);
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>dtype, shape and every value, exactly (int64 as integers, the rest through float64, which holds them all).</summary>
    private static string Describe(Tensor t)
    {
        IEnumerable<string> values = t.DType == DType.Int64
            ? t.ToArray<long>().Select(v => v.ToString(CultureInfo.InvariantCulture))
            : t.To(DType.Float64).ToArray<double>().Select(v => v.ToString("R", CultureInfo.InvariantCulture));
        return $"{t.DType} [{string.Join(",", t.Shape)}] {string.Join(" ", values)}";
    }

    /// <summary>The fixture's tensors, made from the values in safetensors_expected.json.</summary>
    private static List<KeyValuePair<string, Tensor>> ExpectedTensors(JsonElement expected)
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        foreach (var entry in expected.GetProperty("tensors").EnumerateObject())
        {
            long[] shape = FixtureFiles.Shape(entry.Value);
            var data = entry.Value.GetProperty("data").EnumerateArray().ToList();
            Tensor t = entry.Value.GetProperty("dtype").GetString() switch
            {
                "BOOL" => Tensor.From(data.Select(v => v.GetBoolean()).ToArray(), shape),
                "U8" => Tensor.From(data.Select(v => v.GetByte()).ToArray(), shape),
                "I8" => Tensor.From(data.Select(v => v.GetSByte()).ToArray(), shape),
                "I16" => Tensor.From(data.Select(v => v.GetInt16()).ToArray(), shape),
                "I32" => Tensor.From(data.Select(v => v.GetInt32()).ToArray(), shape),
                "I64" => Tensor.From(data.Select(v => v.GetInt64()).ToArray(), shape),
                "F16" => Tensor.From(data.Select(v => (Half)v.GetDouble()).ToArray(), shape),
                "BF16" => Convert(Tensor.From(data.Select(v => v.GetSingle()).ToArray(), shape), DType.BFloat16),
                "F32" => Tensor.From(data.Select(v => v.GetSingle()).ToArray(), shape),
                "F64" => Tensor.From(data.Select(v => v.GetDouble()).ToArray(), shape),
                var other => throw new InvalidDataException($"dtype {other} in the fixture"),
            };
            result.Add(new(entry.Name, t));
        }
        return result;
    }

    private static Tensor Convert(Tensor t, DType dtype)
    {
        using (t) return t.To(dtype);
    }

    private static void DisposeAll(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        foreach (var kv in tensors) kv.Value.Dispose();
    }

    /// <summary>Load fails naming the file and the problem; ReadHeader fails alike unless the problem lies in the data.</summary>
    private static void AssertFormatError(string path, string expectedProblem, bool inData = false)
    {
        var ex = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path).Dispose());
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(expectedProblem, ex.Message);
        if (inData) Safetensors.ReadHeader(path);
        else Assert.Equal(ex.Message, Assert.Throws<SafetensorsFormatException>(() => Safetensors.ReadHeader(path)).Message);
    }

    // ---- reading what an independent writer wrote -------------------------------------------

    [Fact]
    public void LoadsTheFixtureWithItsValuesMetadataAndOrder()
    {
        var expected = FixtureFiles.Load("safetensors_expected.json");
        var tensors = ExpectedTensors(expected);
        try
        {
            using var loaded = Safetensors.Load(FixturePath);
            Assert.Equal(expected.GetProperty("order").EnumerateArray().Select(v => v.GetString()), loaded.Tensors.Keys);
            foreach (var (name, t) in tensors) Assert.Equal(Describe(t), Describe(loaded.Tensors[name]));
            Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fixture ✓" }, loaded.Metadata);
        }
        finally
        {
            DisposeAll(tensors);
        }
    }

    [Fact]
    public void ReadHeaderDescribesTheFixtureWithoutItsData()
    {
        var header = Safetensors.ReadHeader(FixturePath);
        Assert.Equal(14, header.Tensors.Count);
        var weight = header.Tensors.Single(t => t.Name == "layer.0.weight");
        Assert.Equal(DType.Float32, weight.DType);
        Assert.Equal(new long[] { 2, 2, 3 }, weight.Shape);
        Assert.Equal(48, weight.ByteLength);
        var scalar = header.Tensors.Single(t => t.Name == "scalar");
        Assert.Empty(scalar.Shape);
        Assert.Equal(4, scalar.ByteLength);
        Assert.Equal("fixture ✓", header.Metadata["note"]);
        Assert.Equal(new FileInfo(FixturePath).Length, header.DataStart + header.Tensors.Max(t => t.End));
        Assert.Equal(0, header.DataStart % 8);
    }

    // ---- writing what the reference writer writes -------------------------------------------

    [Fact]
    public void WritesTheFixtureByteForByte()
    {
        var expected = FixtureFiles.Load("safetensors_expected.json");
        var tensors = ExpectedTensors(expected);
        try
        {
            string path = PathOf("written.safetensors");
            var metadata = expected.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Save(path, tensors, metadata);
            Assert.Equal(File.ReadAllBytes(FixturePath), File.ReadAllBytes(path));
        }
        finally
        {
            DisposeAll(tensors);
        }
    }

    [Fact]
    public void WritesTheSpecificationsSmallestFilesExactly()
    {
        // An empty file is "{}" padded to 8; one F32 tensor [1, 2, 3] of 0..5 needs no padding.
        string empty = PathOf("empty.safetensors");
        Save(empty, []);
        byte[] expected = [8, 0, 0, 0, 0, 0, 0, 0, .. "{}      "u8];
        Assert.Equal(expected, File.ReadAllBytes(empty));

        string withMetadata = PathOf("metadata.safetensors");
        Save(withMetadata, [], new Dictionary<string, string> { ["framework"] = "pt" });
        expected = [40, 0, 0, 0, 0, 0, 0, 0, .. "{\"__metadata__\":{\"framework\":\"pt\"}}     "u8];
        Assert.Equal(expected, File.ReadAllBytes(withMetadata));

        string one = PathOf("one.safetensors");
        using (var t = Tensor.From(new float[] { 0, 1, 2, 3, 4, 5 }, 1, 2, 3))
            Save(one, [new("attn.0", t)]);
        byte[] data = new float[] { 0, 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes).ToArray();
        expected = [64, 0, 0, 0, 0, 0, 0, 0, .. "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"u8, .. data];
        Assert.Equal(expected, File.ReadAllBytes(one));
        using var back = Safetensors.Load(one);
        Assert.Empty(back.Metadata);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, back.Tensors["attn.0"].ToArray<float>());
    }

    [Fact]
    public void WrittenHeaderIsPaddedOrderedAndTilesTheData()
    {
        using var scope = new DisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["odd_bytes"] = Tensor.From(new byte[] { 1, 2, 3 }),
            ["b"] = torch.Ones([3], DType.Float64),
            ["a"] = torch.Ones([5], DType.Float64),
            ["h"] = torch.Ones([1], DType.Float16),
            ["flag"] = Tensor.From(new[] { true }),
            ["n"] = Tensor.From(new long[] { 7 }),
        };
        string path = PathOf("structure.safetensors");
        Save(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

        byte[] bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal(header.TrimEnd(' ').Length + (8 - header.TrimEnd(' ').Length % 8) % 8, header.Length);
        using var json = JsonDocument.Parse(header);
        var members = json.RootElement.EnumerateObject().ToList();
        Assert.Equal(new[] { "__metadata__", "n", "a", "b", "h", "odd_bytes", "flag" }, members.Select(m => m.Name));
        long expectedBegin = 0;
        foreach (var m in members.Skip(1))
        {
            Assert.Equal(new[] { "dtype", "shape", "data_offsets" }, m.Value.EnumerateObject().Select(f => f.Name));
            var offsets = m.Value.GetProperty("data_offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            Assert.Equal(expectedBegin, offsets[0]);
            int size = tensors[m.Name].DType.ElementSize();
            Assert.Equal(0, (8 + n + offsets[0]) % size); // every tensor aligned in the file
            Assert.Equal(tensors[m.Name].NumElements * size, offsets[1] - offsets[0]);
            expectedBegin = offsets[1];
        }
        Assert.Equal(8 + n + expectedBegin, bytes.Length);
    }

    // ---- round trips -----------------------------------------------------------------------

    [Fact]
    public void RoundTripsEveryDtypeScalarsEmptyTensorsAndMetadata()
    {
        using var scope = new DisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>
        {
            new("bool", Tensor.From(new[] { true, false, false, true }, 2, 2)),
            new("u8", Tensor.From(new byte[] { 0, 255, 17 })),
            new("i8", Tensor.From(new sbyte[] { -128, 127 })),
            new("i16", Tensor.From(new short[] { -32768, 32767, 5 })),
            new("i32", Tensor.From(new[] { int.MinValue, int.MaxValue })),
            new("i64", Tensor.From(new[] { long.MinValue, long.MaxValue, 0 })),
            new("f16", Tensor.From(new[] { (Half)1.5, Half.MaxValue, Half.NegativeInfinity })),
            new("bf16", torch.Arange(-4, 4, 0.5, DType.Float32).To(DType.BFloat16).Reshape(4, 4)),
            new("f32", Tensor.From(new[] { float.NaN, float.Epsilon, -0f, 1e38f })),
            new("f64", Tensor.From(new[] { Math.PI, double.MinValue, double.PositiveInfinity })),
            new("scalar", Tensor.Scalar(3.25)),
            new("empty", torch.Zeros([0, 3], DType.Int32)),
            new("empty2", torch.Zeros([2, 0], DType.Float32)),
            new("", Tensor.From(new[] { 1f })),
            new("unicode ünï \"q\" \n", Tensor.From(new[] { 2f })),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "12", ["quote\"d"] = "line\nbreak ✓" };
        string path = PathOf("all.safetensors");
        Save(path, tensors, metadata);

        using var loaded = Safetensors.Load(path);
        Assert.Equal(tensors.Select(kv => kv.Key).Order(), loaded.Tensors.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, loaded.Tensors[name].DType);
            Assert.Equal(Describe(t), Describe(loaded.Tensors[name]));
        }
        Assert.Equal(metadata, loaded.Metadata);
    }

    [Fact]
    public void SavesNonContiguousAndGradientTrackingTensorsByTheirValues()
    {
        using var scope = new DisposeScope();
        var x = torch.Arange(6, DType.Float32).Reshape(2, 3).RequiresGrad_();
        var transposed = x.Transpose(0, 1); // non-contiguous, part of a graph
        Assert.False(transposed.IsContiguous);
        string path = PathOf("views.safetensors");
        Save(path, [new("t", transposed), new("x", x)]);
        using var loaded = Safetensors.Load(path);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, loaded.Tensors["t"].ToArray<float>());
        Assert.Equal(new long[] { 3, 2 }, loaded.Tensors["t"].Shape);
        Assert.False(loaded.Tensors["x"].RequiresGrad);
    }

    [Fact]
    public void DisposingTheContentsDisposesTheTensors()
    {
        var loaded = Safetensors.Load(FixturePath);
        var tensors = loaded.Tensors.Values.ToList();
        loaded.Dispose();
        Assert.All(tensors, t => Assert.True(t.IsDisposed));
    }

    [Fact]
    public void RejectsDuplicateAndReservedNamesBeforeWriting()
    {
        using var t = Tensor.From(new[] { 1f });
        using var stream = new MemoryStream();
        var dup = Assert.Throws<ArgumentException>(() => Safetensors.Write(stream, [new("w", t), new("w", t)]));
        Assert.Contains("'w' appears twice", dup.Message);
        Assert.Throws<ArgumentException>(() => Safetensors.Write(stream, [new("__metadata__", t)]));
        Assert.Equal(0, stream.Length);
    }

    // ---- format errors -------------------------------------------------------------------

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        string path = PathOf("absent.safetensors");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => Safetensors.Load(path)).Message);
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => Safetensors.ReadHeader(path)).Message);
    }

    [Fact]
    public void TruncationAnywhereIsReported()
    {
        byte[] full = File.ReadAllBytes(FixturePath);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(full);
        var cuts = new (long Length, string Problem)[]
        {
            (0, "truncated: the file has 0 bytes"),
            (5, "truncated: the file has 5 bytes"),
            (8, $"truncated: header says {n} bytes but the file has 0"),
            (8 + n / 2, $"truncated: header says {n} bytes but the file has {n / 2}"),
            (8 + n + 1, $"truncated: the tensors need {full.Length - 8 - n} bytes of data but the file has 1"),
            (full.Length - 1, "truncated: the tensors need"),
        };
        foreach (var (length, problem) in cuts)
        {
            string path = PathOf($"cut{length}.safetensors");
            File.WriteAllBytes(path, full[..(int)length]);
            AssertFormatError(path, problem);
        }
    }

    [Fact]
    public void HeaderLengthProblemsAreReported()
    {
        string huge = PathOf("huge.safetensors");
        File.WriteAllBytes(huge, [.. BitConverter.GetBytes(ulong.MaxValue), .. "{}"u8]);
        AssertFormatError(huge, $"header length {ulong.MaxValue} exceeds the limit of 100000000 bytes");

        string longer = PathOf("longer.safetensors");
        File.WriteAllBytes(longer, [.. BitConverter.GetBytes(1234UL), .. new byte[100]]);
        AssertFormatError(longer, "truncated: header says 1234 bytes but the file has 100");
    }

    [Fact]
    public void MalformedHeadersAreReported()
    {
        AssertFormatError(WriteRaw("json.safetensors", "{\"x\": {\"dtype\": \"F32\","), "header is not valid JSON");
        AssertFormatError(WriteRaw("array.safetensors", "[1, 2]"), "header does not start with '{'");
        AssertFormatError(WriteRaw("blank.safetensors", "", pad: false), "header does not start with '{'");
        AssertFormatError(WriteRaw("garbage.safetensors", "{} x"), "header is not valid JSON");

        string notUtf8 = PathOf("utf8.safetensors");
        File.WriteAllBytes(notUtf8, [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'"', 0xff, (byte)'"', (byte)':', 1, (byte)'}', (byte)' ']);
        AssertFormatError(notUtf8, "header is not valid UTF-8");

        AssertFormatError(WriteRaw("surrogate.safetensors", "{\"\\ud800\":{}}"), "header holds an invalid string");
        AssertFormatError(WriteRaw("entry.safetensors", "{\"x\":[1]}"), "tensor 'x' is a JSON array, not an object");
        AssertFormatError(WriteRaw("nodtype.safetensors", "{\"x\":{\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4]), "tensor 'x' has no \"dtype\"");
        AssertFormatError(WriteRaw("dup.safetensors", "{\"x\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},\"x\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[1,2]}}", new byte[2]),
            "'x' appears twice in the header");
        AssertFormatError(WriteRaw("meta.safetensors", "{\"__metadata__\":{\"epoch\":3}}"), "__metadata__ value of 'epoch' is a JSON number, not a string");
        AssertFormatError(WriteRaw("meta2.safetensors", "{\"__metadata__\":[\"a\"]}"), "__metadata__ is a JSON array, not an object of strings");
    }

    [Fact]
    public void DtypeProblemsAreReported()
    {
        AssertFormatError(WriteRaw("f8.safetensors", "{\"x\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]),
            "unknown dtype 'F8' for tensor 'x'");
        AssertFormatError(WriteRaw("u16.safetensors", "{\"x\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[0,2]}}", new byte[2]),
            "tensor 'x' has dtype 'U16', which libtorch 1.13 does not support");
        AssertFormatError(WriteRaw("num.safetensors", "{\"x\":{\"dtype\":6,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
            "tensor 'x' dtype is a JSON number, not a string");
        AssertFormatError(WriteRaw("bool.safetensors", "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", [1, 0, 2]),
            "tensor 'm' is BOOL but its element 2 is the byte 2, not 0 or 1", inData: true);
    }

    [Fact]
    public void ShapeAndOffsetProblemsAreReported()
    {
        AssertFormatError(WriteRaw("mismatch.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,10]}}", new byte[10]),
            "tensor 'w' data_offsets [0, 10] do not match shape [3] of F32 (12 bytes)");
        AssertFormatError(WriteRaw("count.safetensors", "{\"w\":{\"dtype\":\"I64\",\"shape\":[2,2],\"data_offsets\":[0,24]}}", new byte[24]),
            "tensor 'w' data_offsets [0, 24] do not match shape [2, 2] of I64 (32 bytes)");
        AssertFormatError(WriteRaw("negative.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}"),
            "tensor 'w' shape is not a list of non-negative integers");
        AssertFormatError(WriteRaw("fraction.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[1.5],\"data_offsets\":[0,0]}}"),
            "tensor 'w' shape is not a list of non-negative integers");
        AssertFormatError(WriteRaw("triple.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", new byte[1]),
            "tensor 'w' data_offsets is not a pair [begin, end]");
        AssertFormatError(WriteRaw("reversed.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]),
            "tensor 'w' data_offsets [4, 0] end before they begin");
        AssertFormatError(WriteRaw("overflow.safetensors", "{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8]),
            "tensor 'w' shape [4294967296, 4294967296] has more elements than 64 bits count");
    }

    [Fact]
    public void LayoutProblemsAreReported()
    {
        const string A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        AssertFormatError(WriteRaw("overlap.safetensors", $"{{{A},\"b\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}}}", new byte[8]),
            "tensor 'b' data_offsets [4, 8] overlap tensor 'a', which ends at 8");
        AssertFormatError(WriteRaw("hole.safetensors", $"{{{A},\"b\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}}}", new byte[16]),
            "hole in the data: bytes [8, 12) belong to no tensor (the next is 'b')");
        AssertFormatError(WriteRaw("start.safetensors", "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
            "hole in the data: bytes [0, 4) belong to no tensor");
        AssertFormatError(WriteRaw("trailing.safetensors", $"{{{A}}}", new byte[11]),
            "3 bytes of trailing data: the tensors cover 8 of the 11 bytes after the header");
        AssertFormatError(WriteRaw("short.safetensors", $"{{{A}}}", new byte[6]),
            "truncated: the tensors need 8 bytes of data but the file has 6 after the header");
    }

    [Fact]
    public void AcceptsWhatTheReferenceReaderAccepts()
    {
        // Unpadded header, offsets listed out of order, null metadata, unknown fields, zero-size tensors sharing an offset.
        string path = WriteRaw("lenient.safetensors",
            "{\"__metadata__\":null,\"b\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[4,6],\"extra\":1}," +
            "\"e\":{\"dtype\":\"F64\",\"shape\":[0,5],\"data_offsets\":[4,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
            [0, 0, 0x80, 0x3f, 0xfe, 0xff], pad: false);
        using var loaded = Safetensors.Load(path);
        Assert.Equal(new[] { "b", "e", "a" }, loaded.Tensors.Keys);
        Assert.Equal(1f, loaded.Tensors["a"].Item<float>());
        Assert.Equal((short)-2, loaded.Tensors["b"].Item<short>());
        Assert.Equal(new long[] { 0, 5 }, loaded.Tensors["e"].Shape);
        Assert.Empty(loaded.Metadata);
    }

    private const string JsonCharacters = "0123456789{}[]\",: -.eEtrufalsn";

    [Fact]
    public void FiveHundredMutationsEachLoadOrFailCleanly()
    {
        byte[] valid = File.ReadAllBytes(FixturePath);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var random = new Random(20240611);
        string path = PathOf("fuzz.safetensors");
        int loaded = 0, rejected = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] bytes = (byte[])valid.Clone();
            switch (random.Next(4))
            {
                case 0: // truncate anywhere
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 1: // one to four random bytes in the header (or its length)
                    for (int k = random.Next(1, 5); k > 0; k--) bytes[random.Next(8 + (int)n)] = (byte)random.Next(256);
                    break;
                case 2: // a printable character where the header's syntax or numbers are
                    bytes[random.Next(8, 8 + (int)n)] = (byte)JsonCharacters[random.Next(JsonCharacters.Length)];
                    break;
                default: // a random byte anywhere, the data included
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                    break;
            }
            File.WriteAllBytes(path, bytes);
            try
            {
                using var contents = Safetensors.Load(path);
                loaded++;
            }
            catch (SafetensorsFormatException e)
            {
                Assert.StartsWith(path, e.Message);
                rejected++;
            }
        }
        Assert.True(loaded > 20 && rejected > 200, $"{loaded} loaded, {rejected} rejected");
    }
}
