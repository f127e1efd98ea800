namespace Skd.Tests.IO;

/// <summary>Atomic writes: the new file whole, or the old one untouched, and never a temporary left behind.</summary>
public sealed class AtomicFileTests() : TempFolder("skd-atomic-")
{
    [Fact]
    public void AWriterThatFailsLeavesThePreviousFile()
    {
        string path = Path.Combine(root, "log.jsonl");
        AtomicFile.WriteText(path, "old\n");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new IOException("disk full");
        }));
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(root));
        Assert.Empty(Directory.GetFiles(root, AtomicFile.TemporaryPattern));
    }

    [Fact]
    public void AFailedWriteNamesTheFileNotItsTemporary()
    {
        string path = Path.Combine(root, "results.md");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => throw new IOException("No space left on device")));
        Assert.StartsWith(path + ": not written: No space left on device", e.Message);
        Assert.Empty(Directory.GetFiles(root));
    }
}
