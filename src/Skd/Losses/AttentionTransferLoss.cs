namespace Skd.Losses;

/// <summary>
/// Attention transfer (AT; Zagoruyko &amp; Komodakis, ICLR 2017, "Paying More Attention to
/// Attention"): the spatial attention map of features F (B×C×H×W) is the channel mean of F²,
/// flattened and L2-normalised per image,
/// <code>a(F) = v / max(‖v‖₂, 1e-12),   v = vec(mean_c F_c²)        (the authors' at(), F.normalize)
/// L = (1/S) Σ_s (1/B) Σ_b ‖a(F_S,s)_b − a(F_T,s)_b‖²</code>
/// over S matched stages (methods.md §3: "mean ‖a_S − a_T‖² over matched stages"). The maps are
/// channel-free, so student and teacher may differ in width; each matched pair must agree in batch
/// and spatial size. The authors' code instead averages the squared difference over the H·W
/// positions and sums stages with weight β/2 = 500; here each stage's squared distance is in
/// [0, 4] whatever its size, so the caller's weight is of order 1.
/// </summary>
public static class AttentionTransferLoss
{
    /// <summary>a(F): B×(H·W), each row of unit L2 norm.</summary>
    public static Tensor AttentionMap(Tensor features)
    {
        using var scope = new DisposeScope();
        var v = features.Square().Mean(1).Flatten(1);
        return scope.MoveToOuter(v / v.Norm(2, [1], keepDim: true).ClampMin(1e-12));
    }

    /// <param name="student">The student's features of each matched stage.</param>
    /// <param name="teacher">The teacher's features of the same stages, in the same order.</param>
    public static Tensor Compute(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher)
    {
        if (student.Count == 0 || student.Count != teacher.Count)
            throw new ArgumentException($"attention transfer matches stages one to one, got {student.Count} student and {teacher.Count} teacher stages");
        using var scope = new DisposeScope();
        Tensor? sum = null;
        for (int s = 0; s < student.Count; s++)
        {
            if (student[s].Dim != 4 || teacher[s].Dim != 4 || student[s].Size(0) != teacher[s].Size(0)
                || student[s].Size(2) != teacher[s].Size(2) || student[s].Size(3) != teacher[s].Size(3))
                throw new ArgumentException($"attention transfer stage {s}: student [{string.Join(", ", student[s].Shape)}] and teacher [{string.Join(", ", teacher[s].Shape)}] differ in batch or spatial size");
            var distance = (AttentionMap(student[s]) - AttentionMap(teacher[s])).Square().Sum(1).Mean();
            sum = sum is null ? distance : sum + distance;
        }
        return scope.MoveToOuter(sum! / student.Count);
    }
}
