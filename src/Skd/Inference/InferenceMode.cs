namespace Skd.Inference;

/// <summary>How a model trained on S×S inputs predicts an image of another size.</summary>
public enum InferenceMode
{
    /// <summary>
    /// Each slice resized to S×S (the model's image interpolation), argmax, the label map resized
    /// back by nearest neighbour: TransUNet's test protocol (test_single_volume).
    /// </summary>
    Resize,

    /// <summary>
    /// Windows of S×S at the image's own resolution, their logits blended with Gaussian
    /// importance weights (<see cref="SlidingWindow"/>), then argmax: nnU-Net's and MONAI's
    /// sliding-window inference.
    /// </summary>
    SlidingWindow,
}
