namespace Skd.Tests.IO;

/// <summary>Safetensors files through the atomic writer: a failed save keeps the previous file.</summary>
public sealed class SafetensorsFileTests() : TempFolder("skd-safetensors-file-")
{
    [Fact]
    public void AFailedSaveLeavesTheOldFileAndNoTemporaryFile()
    {
        string path = Path.Combine(root, "model.safetensors");
        using (var old = Tensor.From(new[] { 1f, 2f }))
            SafetensorsFile.Save(path, [new("w", old)]);
        byte[] before = File.ReadAllBytes(path);

        using var good = Tensor.From(new[] { 9f });
        var disposed = Tensor.From(new[] { 3f });
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SafetensorsFile.Save(path, [new("good", good), new("gone", disposed)]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(root));
    }
}
