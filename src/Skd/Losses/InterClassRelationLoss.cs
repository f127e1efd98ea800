namespace Skd.Losses;

/// <summary>
/// ACW-SKD's inter-class relation term (methods.md §1 [ours, following the paper]): with
/// R = n·nᵀ the K×K cosine-similarity matrix of an image's normalised prototypes n = norm(f),
/// <code>L = (1/|Q|) Σ_{(b,k,l)∈Q} (R_S,b,k,l − sg(R_T,b,k,l))²</code>
/// the mean squared difference over Q [ours]: the pairs k ≠ l of classes both present in image
/// b's label (the diagonal is 1 on both sides; absent classes have no meaningful prototype).
/// Matching the teacher's relations keeps the student's similar classes as far apart as the
/// teacher's. The target is detached here; 0 when no image has two present classes.
/// </summary>
public static class InterClassRelationLoss
{
    /// <param name="student">B×K×C student prototypes.</param>
    /// <param name="target">B×K×C target prototypes.</param>
    /// <param name="present">B×K, 1 for a present class and 0 otherwise.</param>
    public static Tensor Compute(Tensor student, Tensor target, Tensor present)
    {
        using var scope = new DisposeScope();
        var difference = Relations(student) - Relations(target.Detach());
        long classes = present.Size(1);
        var index = torch.Arange(0, classes, 1, DType.Int64, present.Device);
        var offDiagonal = index.Unsqueeze(1).Ne(index.Unsqueeze(0)).To(present.DType);
        var pairs = present.Unsqueeze(2) * present.Unsqueeze(1) * offDiagonal;
        return scope.MoveToOuter((difference.Square() * pairs).Sum() / pairs.Sum().ClampMin(1));
    }

    /// <summary>R = n·nᵀ per image: B×K×K cosine similarities of the prototypes.</summary>
    public static Tensor Relations(Tensor prototypes)
    {
        using var scope = new DisposeScope();
        var n = ClassPrototypes.Normalize(prototypes);
        return scope.MoveToOuter(n.Matmul(n.Transpose(1, 2)));
    }
}
