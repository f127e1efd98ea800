namespace Skd.Inference;

/// <summary>
/// A case's prediction (<see cref="Predictor.PredictWithProbabilities"/>), on the CPU at the case's size:
/// the label map int64 (D, H, W), and the softmax probabilities float32 (K, D, H, W) its argmax was taken
/// from (mirror-averaged with test-time augmentation; before the largest-component filter, so where that
/// filter made a voxel background its probabilities still favour the removed class).
/// </summary>
public sealed class Prediction(Tensor labels, Tensor? probabilities) : IDisposable
{
    public Tensor Labels { get; } = labels;

    /// <summary>The probabilities; null when they were not kept.</summary>
    public Tensor? Probabilities { get; } = probabilities;

    public void Dispose()
    {
        Labels.Dispose();
        Probabilities?.Dispose();
    }
}
