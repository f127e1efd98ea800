using System.IO.Compression;
using System.Text;

namespace Skd.Tests.Data;

/// <summary>
/// The one size guard of the readers (<see cref="ReadLimits"/>): every format refuses, from its
/// header, an array above the limit before allocating or decompressing it, and reads no more than
/// the data it declares. Bombs are small declared sizes against a lowered limit, never gigabytes.
/// </summary>
public sealed class ReadLimitsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skd-limits-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static void AssertRefused(string path, Action read, string shape, long limit)
    {
        using var _ = ReadLimits.Override(limit);
        var e = Assert.Throws<DataFormatException>(read);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(shape, e.Message);
        Assert.Contains($"limit of {limit:N0}", e.Message);
        OptionMessages.Names(e, "max_pixels", "raise it with --max-pixels N");
        Assert.Contains(ReadLimits.EnvironmentVariable, e.Message);
    }

    [Theory]
    [InlineData("png", 1)]
    [InlineData("png", 3)]
    [InlineData("jpg", 3)]
    [InlineData("tif", 1)]
    [InlineData("bmp", 3)]
    [InlineData("pgm", 1)]
    [InlineData("ppm", 3)]
    [InlineData("pam", 1)]
    public void EveryImageFormatIsMeasuredFromItsHeader(string extension, int channels)
    {
        string path = Path.Combine(dir, $"image.{extension}");
        using (var image = torch.Zeros([channels, 40, 48], DType.UInt8)) ImageFile.Write(path, image);
        AssertRefused(path, () => ImageFile.Read(path).Dispose(), "40×48 = 1,920 pixels", 40 * 48 - 1);
        using (ReadLimits.Override(40 * 48))
        using (var read = ImageFile.Read(path))
            Assert.Equal([channels, 40, 48], read.Shape);
    }

    [Fact]
    public void AForgedPngIsRefusedBeforeOpenCvDecodesIt()
    {
        // A 64×64 PNG whose IHDR claims 20000×20000: OpenCV would allocate 400 MB, then fail on the CRC.
        string path = Path.Combine(dir, "forged.png");
        using (var image = torch.Zeros([1, 64, 64], DType.UInt8)) ImageFile.Write(path, image);
        byte[] bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 20000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 20000);
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, () => ImageFile.Read(path).Dispose(), "20000×20000 = 400,000,000 pixels", ReadLimits.DefaultMaxPixels);
        Assert.Contains(path, Assert.Throws<DataFormatException>(() => FileSummary.Of(path)).Message);
    }

    [Fact]
    public void AGzippedNiftiIsRefusedFromItsHeader()
    {
        string path = Path.Combine(dir, "bomb.nii.gz");
        using (var volume = torch.Zeros([8, 16, 16], DType.UInt8)) NiftiFile.Write(path, volume);
        AssertRefused(path, () => NiftiFile.Read(path).Dispose(), "16×16×8 = 2,048 pixels", 2047);
    }

    [Fact]
    public void NoNiftiIsDecompressedPastTheDataItDeclares()
    {
        string plain = Path.Combine(dir, "small.nii"), path = Path.Combine(dir, "inflating.nii.gz");
        using (var volume = torch.Ones([4, 4, 4], DType.UInt8)) NiftiFile.Write(plain, volume);
        WriteGzip(path, File.ReadAllBytes(plain), trailingZeros: 64 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var read = NiftiFile.Read(path))
            Assert.Equal(64, read.Data.Sum().Item());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the 64 MiB after the data were decompressed");
    }

    [Fact]
    public void AnNpzArrayIsRefusedFromItsHeaderBeforeItIsDecompressed()
    {
        string path = Path.Combine(dir, "bomb.npz");
        WriteNpz(path, ("a.npy", Npy("(1000, 1000)", 1000 * 1000 * 4)));
        AssertRefused($"{path}:a.npy", () => NpyFile.ReadArchive(path), "1000×1000 = 1,000,000 pixels", 999_999);
    }

    [Fact]
    public void AnNpzArchiveIsLimitedAsAWhole()
    {
        string path = Path.Combine(dir, "many.npz");
        WriteNpz(path, ("a.npy", Npy("(600,)", 600 * 4)), ("b.npy", Npy("(600,)", 600 * 4)));
        AssertRefused($"{path}:b.npy", () => NpyFile.ReadArchive(path), "600 = 600 pixels, which with the 600 read before it", 1000);
    }

    [Fact]
    public void NoNpzEntryIsDecompressedPastTheDataItDeclares()
    {
        string path = Path.Combine(dir, "inflating.npz");
        WriteNpz(path, ("a.npy", [.. Npy("(2, 2)", 16), .. new byte[64 << 20]]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var arrays = NpyFile.ReadArchive(path);
        Assert.Equal([2, 2], arrays["a"].Shape);
        arrays["a"].Dispose();
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the 64 MiB after the data were decompressed");
    }

    [Fact]
    public void AnNpyHeaderLengthNearFourGigabytesIsAFormatError()
    {
        string path = Path.Combine(dir, "v2.npy");
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 2, 0, 0xF0, 0xFF, 0xFF, 0xFF, .. new byte[16]]);
        var e = Assert.Throws<DataFormatException>(() => NpyFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("4294967280 bytes is implausible", e.Message);
    }

    [Fact]
    public void AnNpyFileIsRefusedFromItsHeader()
    {
        string path = Path.Combine(dir, "big.npy");
        File.WriteAllBytes(path, Npy("(3, 5, 7)", 3 * 5 * 7 * 4));
        AssertRefused(path, () => NpyFile.Read(path).Dispose(), "3×5×7 = 105 pixels", 104);
    }

    [Fact]
    public void AnHdf5DatasetIsRefusedFromItsShape()
    {
        string path = Fixture("case0001.npy.h5");
        var shape = Hdf5File.Shape(path, "image");
        long pixels = shape.Aggregate(1L, (a, b) => a * b);
        AssertRefused(path, () => Hdf5File.Read(path, "image").Dispose(), $"dataset 'image' declares an array of {string.Join("×", shape)}", pixels - 1);
    }

    [Fact]
    public async Task AnOverrideHoldsOnlyWhereItIsSetAndABadLimitIsRefused()
    {
        long outside = ReadLimits.MaxPixels;
        using (ReadLimits.Override(5))
        {
            Assert.Equal(5, ReadLimits.MaxPixels);
            Assert.Equal(5, await Task.Run(() => ReadLimits.MaxPixels));   // flows into the tasks it starts
        }
        Assert.Equal(outside, ReadLimits.MaxPixels);
        Assert.Throws<ArgumentException>(() => ReadLimits.Override(0));
        Assert.Throws<ArgumentException>(() => ReadLimits.Override(ReadLimits.HighestMaxPixels + 1));
    }

    /// <summary>A version-1 .npy of little-endian float32 zeros: the header for <paramref name="shape"/>, then <paramref name="dataBytes"/> bytes.</summary>
    private static byte[] Npy(string shape, int dataBytes)
    {
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(117) + "\n";   // 10 + 118 bytes: aligned to 64 as numpy writes
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. Encoding.Latin1.GetBytes(header), .. new byte[dataBytes]];
    }

    private static void WriteNpz(string path, params (string Name, byte[] Bytes)[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            stream.Write(bytes);
        }
    }

    private static void WriteGzip(string path, byte[] bytes, int trailingZeros)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
        gz.Write(new byte[trailingZeros]);
    }
}
