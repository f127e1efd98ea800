namespace Skd.Tests.Distillation;

/// <summary>
/// A fixed synthetic batch for the self-KD methods' tests: two 32×32 one-channel images of N(0, 1)
/// noise (seeded) and labels that bucket the intensity into K classes, for a U-Net of width 4, depth 2.
/// </summary>
internal sealed class SelfKdBatch : IDisposable
{
    public SelfKdBatch(int classes, ulong seed = 7)
    {
        torch.ManualSeed(seed);
        Images = torch.Randn(2, 1, 32, 32);
        using var bucket = (Images.Squeeze(1) * (classes / 2.0) + classes / 2.0).Floor().Clamp(0, classes - 1);
        Labels = bucket.Long();
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }

    public static UNetConfig Network(int classes, int depth = 2) => new(1, classes, Width: 4, Depth: depth);

    public static SegmentationMethod Create(string method, int classes, int depth = 2, params (string Name, string Value)[] options) =>
        Methods.Create(method, Network(classes, depth), options.ToDictionary(o => o.Name, o => o.Value));

    /// <summary>Loss of epoch <paramref name="epoch"/> of <paramref name="epochs"/>, step <paramref name="step"/>.</summary>
    public MethodLoss Loss(SegmentationMethod method, int epoch, int epochs = 2, int step = 0) =>
        method.Loss(Images, Labels, new TrainingStep(epoch, epochs, step, 30));

    /// <summary><paramref name="steps"/> Adam steps in epoch <paramref name="epoch"/>; each step's total loss, taken before its update.</summary>
    public List<double> Train(SegmentationMethod method, Optimizer optimizer, int steps, int epoch, int epochs = 2)
    {
        var losses = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            using var scope = new DisposeScope();
            var loss = Loss(method, epoch, epochs, i);
            losses.Add(loss.Total.Item());
            optimizer.ZeroGrad();
            loss.Total.Backward();
            optimizer.Step();
        }
        return losses;
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
