namespace Skd.Losses;

/// <summary>
/// ACW-SKD's class-wise distillation (methods.md §1 [ours, following the paper]):
/// <code>L = (1/|P|) Σ_{(b,k)∈P} ‖norm(f_b,k) − sg(norm(f̂_b,k))‖²</code>
/// over student prototypes f and target prototypes f̂ (B×K×C, see <see cref="ClassPrototypes"/>);
/// norm is the L2 normalisation along C, ‖·‖² the squared Euclidean norm (summed over C, in
/// [0, 4]). P, the present classes [ours]: the (image, class) pairs whose class occurs in that
/// image's label (an absent class's prototype averages features of no pixel of it). The target is
/// detached here; 0 when no class is present.
/// </summary>
public static class ClassWiseDistillationLoss
{
    /// <param name="student">B×K×C prototypes that learn.</param>
    /// <param name="target">B×K×C target prototypes (detached here).</param>
    /// <param name="present">B×K, 1 for a present class and 0 otherwise (<see cref="ClassPrototypes.Present"/>).</param>
    public static Tensor Compute(Tensor student, Tensor target, Tensor present)
    {
        using var scope = new DisposeScope();
        var distance = (ClassPrototypes.Normalize(student) - ClassPrototypes.Normalize(target.Detach())).Square().Sum(-1);
        return scope.MoveToOuter((distance * present).Sum() / present.Sum().ClampMin(1));
    }
}
