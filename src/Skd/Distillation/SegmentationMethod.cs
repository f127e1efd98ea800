namespace Skd.Distillation;

/// <summary>
/// A training method: the student U-Net (registered as <c>student</c>), the training-only parts the
/// method adds (auxiliary heads, feature reconstruction modules, temperature modules, side heads,
/// frozen snapshots), and the loss of one batch.
/// <para>
/// Contract, shared by every method and relied on by the trainer:
/// <list type="bullet">
/// <item><see cref="Module.StateDict"/> of the method is everything a resumed run needs (student,
/// extras, snapshots); an external teacher is not part of it (it is reloaded from its file).</item>
/// <item><see cref="TrainableParameters"/> is what the optimisers receive: parameters that require
/// gradient. Frozen parts (snapshots, teachers) are excluded by setting RequiresGrad = false. The
/// run's optimiser trains all of them but those of <see cref="OwnParamGroups"/>, which the method
/// declares with their own SGD settings.</item>
/// <item><see cref="BeginEpoch"/> runs before the first step of every epoch, also on resume, so
/// everything derived from the epoch number (schedules, snapshots) is recomputed identically.</item>
/// <item>The exported model is <see cref="Student"/> alone: a plain U-Net of its width.</item>
/// <item>Diagnostics go through the <see cref="MethodLoss"/> a method returns (each term's weight,
/// reported scalars such as τ, watched features for gradient norms: the student's F at least) and
/// through <see cref="SelfTeacherLogits"/>; the trainer has no case per method.</item>
/// </list>
/// </para>
/// </summary>
public abstract class SegmentationMethod : Module
{
    protected SegmentationMethod(MethodContext context)
    {
        Context = context;
        Student = RegisterModule(RunLayout.StudentModule, new UNet(context.Student));
    }

    public MethodContext Context { get; }

    /// <summary>The network that is exported and deployed.</summary>
    public UNet Student { get; }

    /// <summary>The registered name of the method (<c>--method</c>).</summary>
    public string Name => Context.Method.Name;

    /// <summary>
    /// The loss of one training batch: <paramref name="images"/> B×C×H×W float, <paramref name="labels"/>
    /// B×H×W int64. Called in training mode inside the trainer's dispose scope.
    /// </summary>
    public abstract MethodLoss Loss(Tensor images, Tensor labels, TrainingStep step);

    /// <summary>
    /// The self-teacher's logits B×K×H×W of images B×C×H×W, for methods whose teacher is a part trained
    /// beside the student (acw-skd's FRM and head); null by default. The trainer scores it on the
    /// validation split beside the student, the whole method in evaluation mode without gradient, so a
    /// researcher sees whether the teacher leads the student before distillation starts. Snapshot
    /// teachers (dskd, ps-kd) are not offered: a snapshot is last epoch's student, whose Dice is
    /// already on the log's previous line.
    /// </summary>
    public virtual Func<Tensor, Tensor>? SelfTeacherLogits => null;

    /// <summary>Runs before the first step of epoch <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>, also after a resume.</summary>
    public virtual void BeginEpoch(int epoch, int epochs) { }

    /// <summary>The parameters the optimiser trains: every registered parameter that requires gradient.</summary>
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(p => p.RequiresGrad);

    /// <summary>
    /// Trainable parameters the method trains with an SGD of their own (settings per group) rather
    /// than the run's optimiser; none by default.
    /// </summary>
    public virtual IReadOnlyList<SgdParamGroup> OwnParamGroups() => [];

    /// <summary>
    /// The student's profile followed by the method's training-only rows for one size×size image: one
    /// <see cref="CostWalk"/> of the method's modules, the student first (a part that reuses a student's
    /// layer brings its MACs, not its parameters).
    /// </summary>
    public ModelProfile Profile(long size)
    {
        var walk = new CostWalk();
        var student = Student.Trace(walk, size);
        return new([.. student.Rows, .. TrainingOnlyRows(walk, student).Select(r => r with { TrainingOnly = true })]);
    }

    /// <summary>Parameters and MACs of the training-only parts for one size×size image (the rows of <see cref="Profile"/> marked TrainingOnly), for <c>skd info</c>.</summary>
    public IEnumerable<ProfileRow> TrainingOnlyProfile(long size) => Profile(size).Rows.Where(r => r.TrainingOnly);

    /// <summary>The training-only parts traced in <paramref name="walk"/> after the student (<paramref name="student"/>: its trace), one row each; none by default.</summary>
    protected virtual IReadOnlyList<ProfileRow> TrainingOnlyRows(CostWalk walk, UNetTrace student) => [];
}

/// <summary>Where training stands when a loss is computed: epoch and step (0-based) out of their totals.</summary>
public sealed record TrainingStep(int Epoch, int Epochs, int Step, int StepsPerEpoch)
{
    /// <summary>Fraction of training done before this step, in [0, 1).</summary>
    public double Progress => (Epoch + (double)Step / Math.Max(1, StepsPerEpoch)) / Math.Max(1, Epochs);
}
