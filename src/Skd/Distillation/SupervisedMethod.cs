namespace Skd.Distillation;

/// <summary>
/// <c>supervised</c>: the student alone under the segmentation loss
/// <code>L = w_ce·CE(Z, y) + w_dice·Dice(softmax(Z), y)</code>
/// with w_ce = w_dice = 0.5 (TransUNet's Synapse practice, methods.md §1 [ref]). The U-Net and
/// plain-student baselines of both papers.
/// </summary>
public sealed class SupervisedMethod : SegmentationMethod
{
    public static readonly MethodInfo Info = new("supervised", "The U-Net alone, trained with cross-entropy + Dice.",
        [
            new("ce-weight", "0.5", "weight of the cross-entropy term"),
            new("dice-weight", "0.5", "weight of the Dice term"),
        ], NeedsTeacher: false, c => new SupervisedMethod(c));

    private readonly double ceWeight, diceWeight;
    private readonly DiceLoss dice = new();

    private SupervisedMethod(MethodContext context) : base(context)
    {
        ceWeight = context.Options.Double("ce-weight");
        diceWeight = context.Options.Double("dice-weight");
    }

    public override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var output = Student.Forward(images);
        var logits = output.Logits;
        return new MethodLoss().Watch(output)
            .Add("ce", Functional.CrossEntropy(logits, labels), ceWeight)
            .Add("dice", dice.Compute(logits, labels), diceWeight);
    }
}
