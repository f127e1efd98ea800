namespace Skd.Distillation;

/// <summary>
/// <c>kd</c>: Hinton's knowledge distillation (Hinton et al. 2015, methods.md §3) from a trained,
/// frozen teacher, pixel by pixel on the logits:
/// <code>L = L_seg(Z_S, y) + λ·τ²·mean_pixels KL(softmax(Z_T/τ) ‖ softmax(Z_S/τ)),   τ = 4, λ = 1</code>
/// (<see cref="PixelKdLoss"/>; λ = 1 is [ours]). Teacher and student may differ in width and depth.
/// </summary>
public sealed class KdMethod : OfflineDistillationMethod
{
    public static readonly MethodInfo Info = new("kd", "Offline KD: pixel-wise KL to a frozen teacher's softened logits (Hinton).",
        [
            new("kd-weight", "1", "weight λ of the KD term"),
            new("temperature", "4", "temperature τ of both softmaxes"),
        ], NeedsTeacher: true, c => new KdMethod(c, Teacher.Load(c)));

    private readonly double temperature;

    private KdMethod(MethodContext context, Teacher teacher) : base(context, teacher, "kd-weight")
    {
        temperature = Temperature(context);
    }

    protected override string TermName => "kd";

    protected override Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels) =>
        PixelKdLoss.Compute(student.Logits, teacher.Logits, temperature);
}
