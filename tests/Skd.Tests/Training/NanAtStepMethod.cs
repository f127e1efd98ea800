namespace Skd.Tests.Training;

/// <summary>A test-only method: cross-entropy, plus a term "boom" that is 0 until (epoch, step) = (1, 1), where it is NaN.</summary>
internal sealed class NanAtStepMethod(MethodContext context) : SegmentationMethod(context)
{
    public static readonly MethodInfo Info = new("nan-at-step", "Cross-entropy whose extra term turns NaN at epoch 1, step 1.", [],
        NeedsTeacher: false, c => new NanAtStepMethod(c));

    public override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var ce = Functional.CrossEntropy(Student.Logits(images), labels);
        double boom = step is { Epoch: 1, Step: 1 } ? double.NaN : 0;
        return new MethodLoss().Add("ce", ce).Add("boom", ce * boom);
    }
}
