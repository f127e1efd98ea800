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
        LossWeightOptions("weight of the cross-entropy term", "weight of the Dice term"), NeedsTeacher: false, c => new SupervisedMethod(c));

    /// <summary>
    /// The options ce-weight and dice-weight, w_ce and w_dice of the segmentation loss (0.5 each), in the words of a
    /// method that lets them be set: this one, and deep-supervision on every stage.
    /// </summary>
    internal static MethodOption[] LossWeightOptions(string crossEntropy, string dice) =>
        [new("ce-weight", "0.5", crossEntropy), new("dice-weight", "0.5", dice)];

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
