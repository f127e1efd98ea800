namespace Skd.Data.Transforms;

/// <summary>
/// The augmentation parameters of one sample: what <see cref="Augmentation"/> draws, or what a
/// caller sets to apply a chosen transform. The defaults are the identity.
/// </summary>
/// <param name="Rot90">Rotation by k · 90° (k in 0..3) in the (H, W) plane, as torch.rot90(x, k, dims=(-2, -1)) and np.rot90.</param>
/// <param name="FlipHorizontal">Reverses the width axis (after the rot90).</param>
/// <param name="FlipVertical">Reverses the height axis (after the rot90).</param>
/// <param name="RotationDegrees">Rotation about the image centre, in degrees, after the flips; positive turns the way rot90 does (+90° = k 1).</param>
/// <param name="Zoom">Zoom about the image centre: above 1 magnifies.</param>
/// <param name="BrightnessShift">Offset added to every intensity.</param>
/// <param name="Contrast">Factor on the deviations from the sample's mean intensity.</param>
/// <param name="Gamma">Exponent of the gamma correction.</param>
public sealed record SampleTransform(
    int Rot90 = 0, bool FlipHorizontal = false, bool FlipVertical = false, double RotationDegrees = 0, double Zoom = 1,
    double BrightnessShift = 0, double Contrast = 1, double Gamma = 1)
{
    public static readonly SampleTransform Identity = new();

    /// <summary>Whether the sample needs interpolation (a rotation or a zoom), not only a permutation of pixels.</summary>
    public bool IsInterpolating => RotationDegrees != 0 || Zoom != 1;

    /// <summary>Draws one sample's parameters; each transform fires with its probability in <paramref name="options"/>.</summary>
    public static SampleTransform Draw(Random random, AugmentationOptions options)
    {
        bool Fires(double p) => random.NextDouble() < p;
        double Uniform(double low, double high) => low + (high - low) * random.NextDouble();
        return new SampleTransform
        {
            Rot90 = Fires(options.Rot90Probability) ? random.Next(4) : 0,
            FlipHorizontal = Fires(options.HorizontalFlipProbability),
            FlipVertical = Fires(options.VerticalFlipProbability),
            RotationDegrees = Fires(options.RotationProbability) ? Uniform(-options.MaxRotationDegrees, options.MaxRotationDegrees) : 0,
            Zoom = Fires(options.ZoomProbability) ? Uniform(options.MinZoom, options.MaxZoom) : 1,
            BrightnessShift = Fires(options.BrightnessProbability) ? Uniform(-options.MaxBrightnessShift, options.MaxBrightnessShift) : 0,
            Contrast = Fires(options.ContrastProbability) ? Uniform(options.MinContrast, options.MaxContrast) : 1,
            Gamma = Fires(options.GammaProbability) ? Uniform(options.MinGamma, options.MaxGamma) : 1,
        };
    }
}
