namespace Skd.Tests.Training;

/// <summary>A checkpoint write that fails half-way leaves the previous checkpoint whole and no temporary file.</summary>
public sealed class CheckpointWriteTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-ckpt-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void AFailedWriteNeverReplacesThePreviousFile()
    {
        string path = Path.Combine(root, "last.safetensors");
        using var good = torch.Ones(4, 4);
        SafetensorsFile.Save(path, [new("a", good)]);
        byte[] before = File.ReadAllBytes(path);

        var disposed = torch.Zeros(8);
        disposed.Dispose();
        Assert.ThrowsAny<Exception>(() => SafetensorsFile.Save(path, [new("a", good), new("b", disposed)]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(root));
    }
}
