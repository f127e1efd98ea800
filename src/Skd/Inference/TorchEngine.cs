using Skd.Models;
using Skd.Torch;

namespace Skd.Inference;

/// <summary>The U-Net run by libtorch, in evaluation mode and without gradients.</summary>
public sealed class TorchEngine : IInferenceEngine
{
    private readonly UNet network;
    private readonly bool ownsNetwork;

    /// <param name="network">The network; put in evaluation mode.</param>
    /// <param name="ownsNetwork">Whether disposing the engine disposes the network.</param>
    public TorchEngine(UNet network, bool ownsNetwork)
    {
        this.network = network;
        this.ownsNetwork = ownsNetwork;
        network.Eval();
    }

    public InferenceEngineKind Kind => InferenceEngineKind.Torch;
    public UNetConfig Network => network.Config;
    public Device Device => network.Parameters().First().Device;

    public Tensor Logits(Tensor batch)
    {
        using var noGrad = torch.NoGrad();
        return network.Logits(batch);
    }

    public void Dispose()
    {
        if (ownsNetwork) network.Dispose();
    }
}
