namespace Skd.Losses;

/// <summary>
/// Class prototypes: the features averaged under a soft class mask M (B×K×H×W, e.g. softmax
/// probabilities or a one-hot label), per image and class (ACW-SKD's class-wise features,
/// methods.md §1):
/// <code>f_k = Σ_i M_k,i·F_i / (Σ_i M_k,i + ε)      (B×K×C)</code>
/// with the helpers the class-wise losses share: L2 normalisation along C and the classes
/// present in each image's label.
/// </summary>
public static class ClassPrototypes
{
    /// <summary>ε of the denominator: keeps a class with no mass at a zero prototype.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <param name="features">B×C×H×W.</param>
    /// <param name="mask">B×K×H×W, the same H×W.</param>
    /// <param name="epsilon">ε of the denominator.</param>
    public static Tensor Compute(Tensor features, Tensor mask, double epsilon = DefaultEpsilon)
    {
        if (features.Dim != 4 || mask.Dim != 4 || features.Size(0) != mask.Size(0) || features.Size(2) != mask.Size(2) || features.Size(3) != mask.Size(3))
            throw new ArgumentException($"prototypes need features B×C×H×W and a mask B×K×H×W of the same B, H, W; got [{string.Join(", ", features.Shape)}] and [{string.Join(", ", mask.Shape)}]");
        using var scope = new DisposeScope();
        var m = mask.Flatten(2);
        var sums = m.Matmul(features.Flatten(2).Transpose(1, 2));
        return scope.MoveToOuter(sums / (m.Sum(2, keepDim: true) + epsilon));
    }

    /// <summary>x/max(‖x‖₂, 10⁻¹²) along the last axis, as F.normalize.</summary>
    public static Tensor Normalize(Tensor prototypes)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(prototypes / prototypes.Norm(2, [-1], keepDim: true).ClampMin(1e-12));
    }

    /// <summary>1 where class k occurs in image b's label, else 0: B×K in <paramref name="dtype"/>.</summary>
    public static Tensor Present(Tensor labels, long classes, DType dtype)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(F.OneHot(labels, classes).Sum([1, 2]).Gt(0).To(dtype));
    }

    /// <summary>The one-hot label as a mask: B×K×H×W in <paramref name="dtype"/>.</summary>
    public static Tensor LabelMask(Tensor labels, long classes, DType dtype)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(F.OneHot(labels, classes).Permute(0, 3, 1, 2).To(dtype));
    }
}
