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
    public void AFailedWriteNamesTheFileNotItsTemporary()
    {
        string path = Path.Combine(dir, "results.md");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => throw new IOException("No space left on device")));
        Assert.StartsWith(path + ": not written: No space left on device", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }
}
