namespace Skd.Torch.Tests;

/// <summary>Atomic writes: the new file whole, or the old one untouched, and never a temporary left behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skd-atomic-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void AWriterThatFailsLeavesThePreviousFile()
    {
        string path = Path.Combine(dir, "log.jsonl");
        AtomicFile.WriteText(path, "old\n");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new IOException("disk full");
        }));
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        Assert.Empty(Directory.GetFiles(dir, AtomicFile.TemporaryPattern));
    }

    [Fact]
    public void APathWriterSeesATemporaryOfTheSameExtensionBesideTheFile()
    {
        string path = Path.Combine(dir, "curves.png");
        string? seen = null;
        AtomicFile.WriteVia(path, temporary =>
        {
            seen = temporary;
            File.WriteAllBytes(temporary, [1, 2, 3]);
        });
        Assert.Equal(dir, Path.GetDirectoryName(seen));
        Assert.EndsWith(".png", seen);
        Assert.StartsWith(".curves.png.", Path.GetFileName(seen));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }
}
