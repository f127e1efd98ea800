namespace Skd.Inference;

/// <summary>How <see cref="Predictor"/> runs a model over a case.</summary>
/// <param name="Mode">Resize to the model's size and back, or sliding windows of it.</param>
/// <param name="Overlap">Sliding windows: fraction of a window shared with its neighbour, in [0, 1) (nnU-Net and MONAI: 0.5).</param>
/// <param name="Batch">Slices (resize mode) or windows (sliding-window mode) per forward pass.</param>
/// <param name="Mirror">Test-time augmentation: the softmax averaged over the four in-plane mirrorings (<see cref="TestTimeMirroring"/>).</param>
/// <param name="KeepLargest">
/// Post-processing: the classes whose largest connected component alone is kept (<see cref="LargestComponent"/>);
/// empty: every foreground class; null: none.
/// </param>
/// <param name="MemoryFormat">The layout of the torch engine's weights and batches (ONNX Runtime chooses its own).</param>
/// <param name="Device">
/// Where the torch engine runs (<c>cuda</c>: on the GPU; ONNX Runtime runs on the CPU); null: on the CPU, or a network
/// in memory where it is.
/// </param>
public sealed record InferenceOptions(InferenceMode Mode = InferenceMode.Resize, double Overlap = 0.5, int Batch = 8, bool Mirror = false, IReadOnlyList<int>? KeepLargest = null,
    MemoryFormat MemoryFormat = MemoryFormats.Default, Device? Device = null)
{
    /// <summary>Throws an ArgumentException naming the first value out of range.</summary>
    public InferenceOptions Validate()
    {
        if (Overlap is < 0 or >= 1 || double.IsNaN(Overlap)) throw new ArgumentException($"the window overlap must lie in [0, 1), got {Overlap}");
        if (Batch < 1) throw new ArgumentException($"the batch size must be at least 1, got {Batch}");
        return this;
    }
}
