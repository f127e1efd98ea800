namespace Skd.Distillation.Parts;

/// <summary>
/// ACW-SKD's learnable, adversarial distillation temperature (methods.md §1, after curriculum
/// temperature KD, CTKD: Li et al., AAAI 2023):
/// <code>τ = τ_min + τ_range·σ(GRL_λ(θ))</code>
/// where θ is what the module computes (<see cref="Theta"/>) and GRL_λ is the gradient reversal layer
/// (identity forward, −λ·grad backward), so that θ's parameters ascend the KD loss the student
/// descends. σ bounds τ to (τ_min, τ_min + τ_range).
/// </summary>
public abstract class TemperatureModule(double minimum, double range) : Module
{
    public double Minimum { get; } = minimum;
    public double Range { get; } = range;

    /// <summary>
    /// θ before the reversal: a 0-dim tensor (one temperature for the batch) or B values (one per
    /// image) from the teacher's and student's logits (B×K×H×W each, passed detached by the caller).
    /// </summary>
    public abstract Tensor Theta(Tensor teacherLogits, Tensor studentLogits);

    /// <summary>τ with the gradient reversal of strength <paramref name="lambda"/> between θ and τ.</summary>
    public Tensor Temperature(Tensor teacherLogits, Tensor studentLogits, double lambda)
    {
        using var scope = new DisposeScope();
        var reversed = F.GradientReversal(Theta(teacherLogits, studentLogits), lambda);
        return scope.MoveToOuter(reversed.Sigmoid() * Range + Minimum);
    }

    /// <summary><see cref="Theta"/> on shapes for teacher and student logits of shape <paramref name="logits"/> (B×K×H×W): one value per image, B×1.</summary>
    public abstract IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> logits);
}
