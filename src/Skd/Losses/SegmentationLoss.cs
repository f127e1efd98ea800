namespace Skd.Losses;

/// <summary>
/// The supervised segmentation loss L_seg = w_ce·CE(Z, y) + w_dice·Dice(softmax(Z), y), with
/// w_ce = w_dice = 0.5 by default (TransUNet's Synapse practice, methods.md §1: "L_seg = 0.5·CE +
/// 0.5·Dice [ref]"). CE is the mean over pixels (F.cross_entropy); Dice is <see cref="DiceLoss"/>.
/// </summary>
public sealed record SegmentationLoss(double CrossEntropyWeight = 0.5, double DiceWeight = 0.5, DiceLoss? Dice = null)
{
    private readonly DiceLoss dice = Dice ?? new DiceLoss();

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        using var scope = new DisposeScope();
        var loss = F.CrossEntropy(logits, labels) * CrossEntropyWeight + dice.Compute(logits, labels) * DiceWeight;
        return scope.MoveToOuter(loss);
    }
}
