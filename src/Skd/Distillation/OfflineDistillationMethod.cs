namespace Skd.Distillation;

/// <summary>
/// What the offline KD baselines share (methods.md §3): a trained, frozen <see cref="Teacher"/> and
/// the loss
/// <code>L = L_seg(Z_S, y) + λ·D(S, T, y),   L_seg = 0.5·CE + 0.5·Dice  (SegmentationLoss)</code>
/// where D is the method's distillation term on the student's and the teacher's outputs of the same
/// batch, reported as its own term (<c>seg</c> and the method's name). The teacher is not a submodule
/// (see <see cref="Teacher"/>): the method's state dict and trainable parameters are the student's
/// alone, and no training-only part is added. The teacher's forward does cost compute in training:
/// <see cref="TeacherProfile"/> gives it.
/// </summary>
public abstract class OfflineDistillationMethod : SegmentationMethod
{
    private readonly SegmentationLoss segmentation = new();
    private readonly double weight;

    /// <param name="context">The method's context (student shape, options).</param>
    /// <param name="teacher">Loaded and checked by the method's factory, before the student is built; the method owns it.</param>
    /// <param name="weightOption">The option that holds λ.</param>
    protected OfflineDistillationMethod(MethodContext context, Teacher teacher, string weightOption) : base(context)
    {
        Teacher = teacher;
        weight = context.Options.Double(weightOption);
    }

    public Teacher Teacher { get; }

    /// <summary>Parameters and MACs of the teacher's forward pass, which every training step runs besides the student's.</summary>
    public ModelProfile TeacherProfile(long size) => Teacher.Profile(size);

    /// <summary>The name the distillation term is reported under.</summary>
    protected abstract string TermName { get; }

    /// <summary>D(S, T, y): the distillation term, a scalar with gradient into the student only.</summary>
    protected abstract Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels);

    public sealed override MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step)
    {
        var student = Student.Forward(images);
        using var teacher = Teacher.Forward(images, Student.MemoryFormat);   // its tensors go before backward; the loss's graph keeps what it needs
        return new MethodLoss().Watch(student)
            .Add("seg", segmentation.Compute(student.Logits, labels))
            .Add(TermName, Distillation(student, teacher, labels), weight);
    }

    public override void Dispose()
    {
        Teacher.Dispose();
        base.Dispose();
    }
}
