namespace Skd.Data.Transforms;

/// <summary>
/// What <see cref="Augmentation"/> does: each transform has its own probability, drawn
/// independently per sample (0, the default, disables it). Ranges default to common practice:
/// ±20° rotation (TransUNet's Synapse protocol), zoom 0.9–1.1, contrast 0.75–1.25 and gamma
/// 0.7–1.5 (nnU-Net's defaults). The default options are the identity.
/// </summary>
public sealed record AugmentationOptions
{
    public double HorizontalFlipProbability { get; init; }
    public double VerticalFlipProbability { get; init; }

    /// <summary>Probability of a rot90 by k · 90° with k uniform in {0, 1, 2, 3}, as TransUNet's random_rot_flip (so 3/4 of these draws rotate). Odd k needs square images.</summary>
    public double Rot90Probability { get; init; }

    /// <summary>Probability of a rotation by an angle uniform in [−<see cref="MaxRotationDegrees"/>, <see cref="MaxRotationDegrees"/>].</summary>
    public double RotationProbability { get; init; }
    public double MaxRotationDegrees { get; init; } = 20;

    /// <summary>Probability of a zoom by a factor uniform in [<see cref="MinZoom"/>, <see cref="MaxZoom"/>]; above 1 magnifies.</summary>
    public double ZoomProbability { get; init; }
    public double MinZoom { get; init; } = 0.9;
    public double MaxZoom { get; init; } = 1.1;

    /// <summary>Probability of adding an offset uniform in [−<see cref="MaxBrightnessShift"/>, <see cref="MaxBrightnessShift"/>] (MONAI's RandShiftIntensity).</summary>
    public double BrightnessProbability { get; init; }
    public double MaxBrightnessShift { get; init; } = 0.1;

    /// <summary>Probability of scaling the deviations from the sample's mean by a factor uniform in [<see cref="MinContrast"/>, <see cref="MaxContrast"/>].</summary>
    public double ContrastProbability { get; init; }
    public double MinContrast { get; init; } = 0.75;
    public double MaxContrast { get; init; } = 1.25;

    /// <summary>Probability of a gamma correction with γ uniform in [<see cref="MinGamma"/>, <see cref="MaxGamma"/>].</summary>
    public double GammaProbability { get; init; }
    public double MinGamma { get; init; } = 0.7;
    public double MaxGamma { get; init; } = 1.5;

    /// <summary>What rotation and zoom read outside the image, for image and label alike (zeros: label 0, the background).</summary>
    public GridSamplePadding Padding { get; init; } = GridSamplePadding.Zeros;

    /// <summary>Throws <see cref="ArgumentException"/> on a probability outside [0, 1] or an invalid range.</summary>
    public void Validate()
    {
        foreach (var (name, p) in new[]
        {
            (nameof(HorizontalFlipProbability), HorizontalFlipProbability), (nameof(VerticalFlipProbability), VerticalFlipProbability),
            (nameof(Rot90Probability), Rot90Probability), (nameof(RotationProbability), RotationProbability),
            (nameof(ZoomProbability), ZoomProbability), (nameof(BrightnessProbability), BrightnessProbability),
            (nameof(ContrastProbability), ContrastProbability), (nameof(GammaProbability), GammaProbability),
        })
            if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name} must be in [0, 1], got {p}");
        Require(MaxRotationDegrees >= 0, $"{nameof(MaxRotationDegrees)} must be non-negative, got {MaxRotationDegrees}");
        Require(MaxBrightnessShift >= 0, $"{nameof(MaxBrightnessShift)} must be non-negative, got {MaxBrightnessShift}");
        Require(MinZoom > 0 && MinZoom <= MaxZoom, $"the zoom range must satisfy 0 < min <= max, got [{MinZoom}, {MaxZoom}]");
        Require(MinContrast >= 0 && MinContrast <= MaxContrast, $"the contrast range must satisfy 0 <= min <= max, got [{MinContrast}, {MaxContrast}]");
        Require(MinGamma > 0 && MinGamma <= MaxGamma, $"the gamma range must satisfy 0 < min <= max, got [{MinGamma}, {MaxGamma}]");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
