namespace Skd.Inference;

/// <summary>
/// The U-Net run by libtorch on its fast path: in evaluation mode, every batch norm folded into the
/// convolution before it (<see cref="BatchNormFolding.FoldInPlace"/>, the fold the ONNX export uses), the
/// weights in the chosen memory format, and no autograd state (forward passes under no-grad). Freed
/// activations stay in the native CPU block cache, so the windows of a sliding-window prediction after the
/// first reuse the first one's memory.
/// </summary>
public sealed class TorchEngine : IInferenceEngine
{
    private readonly UNet network;

    /// <param name="network">The trained network.</param>
    /// <param name="ownsNetwork">
    /// Whether the engine takes the network over: then it is folded in place and disposed with the engine;
    /// otherwise the engine folds a copy of it (whose construction draws libtorch's generator) and leaves it as it was.
    /// </param>
    /// <param name="memoryFormat">The layout the engine's weights and batches take.</param>
    /// <param name="device">Where the engine runs (checked to exist); null: where the network is.</param>
    /// <exception cref="DeviceUnavailableException">A device this machine or libtorch build does not have.</exception>
    public TorchEngine(UNet network, bool ownsNetwork, MemoryFormat memoryFormat = MemoryFormats.Default, Device? device = null)
    {
        device?.EnsureAvailable();
        this.network = ownsNetwork ? network : Copy(network);
        try
        {
            if (device is { } on) this.network.To(on);
            this.network.Eval();
            this.network.To(memoryFormat);
            BatchNormFolding.FoldInPlace(this.network);
        }
        catch
        {
            if (!ownsNetwork) this.network.Dispose();
            throw;
        }
        MemoryFormat = memoryFormat;
    }

    public InferenceEngineKind Kind => InferenceEngineKind.Torch;
    public UNetConfig Network => network.Config;
    public Device Device => network.Parameters().First().Device;

    /// <summary>The layout of the engine's weights and batches.</summary>
    public MemoryFormat MemoryFormat { get; }

    public Tensor Logits(Tensor batch)
    {
        using var noGrad = torch.NoGrad();
        return network.Logits(batch);
    }

    /// <summary>A network of the same configuration with a copy of <paramref name="source"/>'s weights, on its device.</summary>
    private static UNet Copy(UNet source)
    {
        var copy = new UNet(source.Config);
        try
        {
            copy.To(source.Parameters().First().Device);
            copy.LoadStateDict(source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value));
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    public void Dispose() => network.Dispose();
}
