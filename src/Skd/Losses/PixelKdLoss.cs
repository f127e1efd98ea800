namespace Skd.Losses;

/// <summary>
/// Pixel-wise knowledge distillation at temperature τ (Hinton et al. 2015):
/// <code>L = mean_pixels τ² · KL(softmax(Z_T/τ) ‖ softmax(Z_S/τ)),  KL(P‖Q) = Σ_k P_k (log P_k − log Q_k)</code>
/// summed over classes, averaged over B·H·W pixels. τ is a number, a one-element tensor (ACW-SKD's
/// learnable global temperature) or one value per image (B elements: its per-image module), each
/// image's pixels weighted by its own τ². The caller decides what receives gradient (detach Z_T
/// for a fixed teacher). Used by KD (τ = 4) and ACW-SKD's KD_τ (methods.md §1, §3).
/// </summary>
public static class PixelKdLoss
{
    public static Tensor Compute(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        using var tau = torch.Full([], temperature, studentLogits.DType, studentLogits.Device);
        return Compute(studentLogits, teacherLogits, tau);
    }

    public static Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor temperature)
    {
        using var scope = new DisposeScope();
        bool perImage = temperature.NumElements > 1;
        if (perImage && temperature.NumElements != studentLogits.Size(0))
            throw new ArgumentException($"a per-image temperature needs {studentLogits.Size(0)} values (one per image), got {temperature.NumElements}");
        var tau = perImage ? temperature.Reshape(-1, 1, 1, 1) : temperature.Reshape();
        var kl = F.KlDiv((studentLogits / tau).LogSoftmax(1), (teacherLogits / tau).LogSoftmax(1), Reduction.None, logTarget: true).Sum(1);
        var weight = perImage ? tau.Square().Reshape(-1, 1, 1) : tau.Square();
        return scope.MoveToOuter((kl * weight).Mean());
    }
}
