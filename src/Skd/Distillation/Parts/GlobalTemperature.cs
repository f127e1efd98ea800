namespace Skd.Distillation.Parts;

/// <summary>
/// One learnable scalar θ (initialised to 0, so τ starts at τ_min + τ_range/2) shared by every
/// image: CTKD's global temperature (methods.md §1). State dict: <c>theta</c> (0-dim).
/// </summary>
public sealed class GlobalTemperature : TemperatureModule
{
    public GlobalTemperature(double minimum, double range) : base(minimum, range)
    {
        Parameter = RegisterParameter("theta", torch.Zeros([]));
    }

    /// <summary>θ itself.</summary>
    public Tensor Parameter { get; }

    public override Tensor Theta(Tensor teacherLogits, Tensor studentLogits) => Parameter.To(studentLogits.DType);

    public override IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> logits)
    {
        walk.Count(this, ParameterCount, 0);
        return [logits[0], 1];
    }
}
