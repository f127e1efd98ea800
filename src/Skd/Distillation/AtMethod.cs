namespace Skd.Distillation;

/// <summary>
/// <c>at</c>: attention transfer (Zagoruyko &amp; Komodakis, ICLR 2017, methods.md §3) from a trained,
/// frozen teacher, on every decoder stage (up1..up_d), matched one to one:
/// <code>L = L_seg(Z_S, y) + λ·(1/d)·Σ_s mean_b ‖a(F_S,s) − a(F_T,s)‖²,   a(F) = normalise(vec(mean_c F²)),   λ = 1</code>
/// (<see cref="AttentionTransferLoss"/>; the decoder stages as the matched stages and λ = 1 are
/// [ours]). Stage s has the same spatial size in both networks only when they have the same depth,
/// which the teacher's loading checks; the widths may differ (the maps are channel-free).
/// </summary>
public sealed class AtMethod : OfflineDistillationMethod
{
    public static readonly MethodInfo Info = new("at", "Offline KD: spatial attention maps of every decoder stage matched to a frozen teacher's (attention transfer).",
        [
            new("at-weight", "1", "weight λ of the attention-transfer term"),
        ], NeedsTeacher: true, c => new AtMethod(c, Teacher.Load(c, sameDepth: true)));

    private AtMethod(MethodContext context, Teacher teacher) : base(context, teacher, "at-weight") { }

    protected override string TermName => "at";

    protected override Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels) =>
        AttentionTransferLoss.Compute(student.DecoderFeatures, teacher.DecoderFeatures);
}
