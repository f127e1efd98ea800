namespace Skd.Distillation;

/// <summary>
/// <c>cwd</c>: channel-wise distillation (Shu et al., ICCV 2021, methods.md §3) from a trained,
/// frozen teacher, on the logits:
/// <code>L = L_seg(Z_S, y) + λ·τ²/(B·K)·Σ_{b,k} KL(softmax_HW(Z_T,b,k/τ) ‖ softmax_HW(Z_S,b,k/τ)),   τ = 1, λ = 3</code>
/// (<see cref="ChannelWiseDistillationLoss"/>; the paper uses λ from 3 to 5). Teacher and student
/// may differ in width and depth.
/// </summary>
public sealed class CwdMethod : OfflineDistillationMethod
{
    public static readonly MethodInfo Info = new("cwd", "Offline KD: each class channel's spatial distribution matched to a frozen teacher's (channel-wise distillation).",
        [
            new("cwd-weight", "3", "weight λ of the CWD term (the paper uses 3 to 5)"),
            new("temperature", "1", "temperature τ of the spatial softmaxes"),
        ], NeedsTeacher: true, c => new CwdMethod(c, Teacher.Load(c)));

    private readonly double temperature;

    private CwdMethod(MethodContext context, Teacher teacher) : base(context, teacher, "cwd-weight")
    {
        temperature = Temperature(context);
    }

    protected override string TermName => "cwd";

    protected override Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels) =>
        ChannelWiseDistillationLoss.Compute(student.Logits, teacher.Logits, temperature);
}
