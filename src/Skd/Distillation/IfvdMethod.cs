namespace Skd.Distillation;

/// <summary>
/// <c>ifvd</c>: intra-class feature variation distillation (Wang et al., ECCV 2020, methods.md §3)
/// from a trained, frozen teacher, on the penultimate features F (the head's input, full
/// resolution, as the authors distil the features before their classifier):
/// <code>L = L_seg(Z_S, y) + λ·mean_i (cos(F_S,i, f_S,y_i) − cos(F_T,i, f_T,y_i))²,   λ = 200</code>
/// f_·,k the per-image prototype of class k (masked mean with the label), see
/// <see cref="IntraClassFeatureVariationLoss"/>; λ = 200 is the authors' default (lambda_ifv).
/// Teacher and student may differ in width and depth.
/// </summary>
public sealed class IfvdMethod : OfflineDistillationMethod
{
    public static readonly MethodInfo Info = new("ifvd", "Offline KD: each pixel's cosine to its class prototype matched to a frozen teacher's (intra-class feature variation).",
        [
            new("ifvd-weight", "200", "weight λ of the IFVD term (the authors' lambda_ifv)"),
        ], NeedsTeacher: true, c => new IfvdMethod(c, Teacher.Load(c)));

    private IfvdMethod(MethodContext context, Teacher teacher) : base(context, teacher, "ifvd-weight") { }

    protected override string TermName => "ifvd";

    protected override Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels) =>
        IntraClassFeatureVariationLoss.Compute(student.Penultimate, teacher.Penultimate, labels, Context.Classes);
}
