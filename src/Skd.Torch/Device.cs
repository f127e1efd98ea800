namespace Skd.Torch;

public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}

/// <summary>Where a tensor lives: <c>cpu</c> or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda(0);
        if (t.StartsWith("cuda:") && int.TryParse(t.AsSpan(5), out int index) && index >= 0) return Cuda(index);
        throw new ArgumentException($"unknown device '{text}': expected cpu, cuda or cuda:N");
    }

    /// <summary>Throws <see cref="DeviceUnavailableException"/> when this device does not exist here.</summary>
    public void EnsureAvailable()
    {
        if (Type == DeviceType.Cpu) return;
        int count = torch.CudaDeviceCount;
        if (count == 0)
            throw new DeviceUnavailableException(
                $"device {this} was requested, but CUDA is not available (libtorch {torch.Version} sees no GPU; " +
                "build native/ against a CUDA libtorch with Torch_DIR and run on a machine with an NVIDIA GPU)");
        if (Index >= count)
            throw new DeviceUnavailableException($"device {this} was requested, but only {count} CUDA device(s) exist (cuda:0..cuda:{count - 1})");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
