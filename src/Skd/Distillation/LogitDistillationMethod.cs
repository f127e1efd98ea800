namespace Skd.Distillation;

/// <summary>
/// The offline KD baselines that match the student's logits to a trained, frozen teacher's, both softened by a
/// temperature τ (methods.md §3): <see cref="Kd"/> and <see cref="Cwd"/>, which differ in the softmax they soften (over
/// the classes of each pixel, or over the pixels of each class). Options: the weight λ of the term, named after the
/// method, and τ. Teacher and student may differ in width and depth.
/// </summary>
public sealed class LogitDistillationMethod : OfflineDistillationMethod
{
    /// <summary>
    /// <c>kd</c>: Hinton's knowledge distillation (Hinton et al. 2015), pixel by pixel:
    /// <code>L = L_seg(Z_S, y) + λ·τ²·mean_pixels KL(softmax(Z_T/τ) ‖ softmax(Z_S/τ)),   τ = 4, λ = 1</code>
    /// (<see cref="PixelKdLoss"/>; λ = 1 is [ours]).
    /// </summary>
    public static readonly MethodInfo Kd = Declare("kd", "Offline KD: pixel-wise KL to a frozen teacher's softened logits (Hinton).",
        weight: new("kd-weight", "1", "weight λ of the KD term"),
        temperature: new("temperature", "4", "temperature τ of both softmaxes"),
        PixelKdLoss.Compute);

    /// <summary>
    /// <c>cwd</c>: channel-wise distillation (Shu et al., ICCV 2021):
    /// <code>L = L_seg(Z_S, y) + λ·τ²/(B·K)·Σ_{b,k} KL(softmax_HW(Z_T,b,k/τ) ‖ softmax_HW(Z_S,b,k/τ)),   τ = 1, λ = 3</code>
    /// (<see cref="ChannelWiseDistillationLoss"/>; the paper uses λ from 3 to 5).
    /// </summary>
    public static readonly MethodInfo Cwd = Declare("cwd", "Offline KD: each class channel's spatial distribution matched to a frozen teacher's (channel-wise distillation).",
        weight: new("cwd-weight", "3", "weight λ of the CWD term (the paper uses 3 to 5)"),
        temperature: new("temperature", "1", "temperature τ of the spatial softmaxes"),
        ChannelWiseDistillationLoss.Compute);

    private readonly Func<Tensor, Tensor, double, Tensor> loss;
    private readonly double temperature;

    private LogitDistillationMethod(MethodContext context, Teacher teacher, string weightOption, Func<Tensor, Tensor, double, Tensor> loss)
        : base(context, teacher, weightOption)
    {
        this.loss = loss;
        temperature = Temperature(context);
    }

    /// <summary>A method of this kind: its options (λ, τ) and the loss of student and teacher logits at τ.</summary>
    private static MethodInfo Declare(string name, string summary, MethodOption weight, MethodOption temperature, Func<Tensor, Tensor, double, Tensor> loss) =>
        new(name, summary, [weight, temperature], NeedsTeacher: true, c => new LogitDistillationMethod(c, Teacher.Load(c), weight.Name, loss));

    /// <summary>Option <c>temperature</c>, which must be positive.</summary>
    private static double Temperature(MethodContext context)
    {
        double tau = context.Options.Double("temperature");
        return tau > 0 ? tau : throw new ArgumentException($"method '{context.Method.Name}': option temperature={tau} must be positive");
    }

    /// <summary>The method's name: the term is reported as kd or cwd.</summary>
    protected override string TermName => Name;

    protected override Tensor Distillation(UNetOutput student, UNetOutput teacher, Tensor labels) =>
        loss(student.Logits, teacher.Logits, temperature);
}
