namespace Skd.Tests.Distillation;

/// <summary>A temporary folder of teacher model files saved with <see cref="ModelFile.Save"/> from freshly initialised U-Nets; deleted on dispose.</summary>
public sealed class TeacherFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("skd-teacher-").FullName;

    /// <summary>Saves a U-Net of shape <paramref name="config"/> as <paramref name="name"/> and returns its path.</summary>
    public string Save(UNetConfig config, string name = "teacher.safetensors")
    {
        var path = Path.Combine(Folder, name);
        using var network = new UNet(config);
        ModelFile.Save(path, network, new ModelInfo { Network = config, Size = 16 });
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
