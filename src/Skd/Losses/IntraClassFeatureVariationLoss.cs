namespace Skd.Losses;

/// <summary>
/// Intra-class feature variation distillation (IFVD; Wang et al., ECCV 2020). For features F
/// (B×C×h×w) and the label y resized to h×w (nearest), each image b and class k has the prototype
/// <code>f_b,k = Σ_i [y_i = k] F_i / (Σ_i [y_i = k] + 1e-6)</code>
/// and each pixel its cosine to its own class's prototype, M_i = cos(F_i, f_b,y_i) (each vector
/// divided by max(‖·‖, 1e-8), torch.nn.CosineSimilarity). Then
/// <code>L = mean_{b,i} (M_S,i − M_T,i)²</code>
/// (methods.md §3; as the authors' CriterionIFV: prototypes per image, gradient flowing through
/// the student's prototypes too). Student and teacher may differ in channels; their maps must agree
/// in batch and spatial size. Every label must be a class in 0..K−1.
/// </summary>
public static class IntraClassFeatureVariationLoss
{
    private const double ProtoEpsilon = 1e-6, CosineEpsilon = 1e-8;

    /// <summary>M: B×h×w, each pixel's cosine to the prototype of its class.</summary>
    /// <param name="features">B×C×h×w.</param>
    /// <param name="labels">B×h×w int64, already at the features' size.</param>
    /// <param name="classes">K, the number of classes.</param>
    public static Tensor PrototypeSimilarity(Tensor features, Tensor labels, long classes)
    {
        using var scope = new DisposeScope();
        long b = features.Size(0), c = features.Size(1), h = features.Size(2), w = features.Size(3);
        var masks = F.OneHot(labels.Flatten(1), classes).Transpose(1, 2).To(features.DType);      // B×K×N
        var flat = features.Reshape(b, c, h * w);                                                  // B×C×N
        var prototypes = masks.Matmul(flat.Transpose(1, 2)) / (masks.Sum(2, keepDim: true) + ProtoEpsilon); // B×K×C
        var centres = prototypes.Transpose(1, 2).Matmul(masks);                                    // B×C×N
        var cosine = (Unit(flat) * Unit(centres)).Sum(1);
        return scope.MoveToOuter(cosine.Reshape(b, h, w));
    }

    /// <param name="student">B×C_S×h×w student features.</param>
    /// <param name="teacher">B×C_T×h×w teacher features.</param>
    /// <param name="labels">B×H×W int64 class indices, resized (nearest) to h×w.</param>
    /// <param name="classes">K, the number of classes.</param>
    public static Tensor Compute(Tensor student, Tensor teacher, Tensor labels, long classes)
    {
        if (student.Dim != 4 || teacher.Dim != 4 || student.Size(0) != teacher.Size(0) || student.Size(2) != teacher.Size(2) || student.Size(3) != teacher.Size(3))
            throw new ArgumentException($"IFVD compares maps of one batch and spatial size, got student [{string.Join(", ", student.Shape)}] and teacher [{string.Join(", ", teacher.Shape)}]");
        using var scope = new DisposeScope();
        var resized = Resize(labels, student.Size(2), student.Size(3));
        var loss = F.MseLoss(PrototypeSimilarity(student, resized, classes), PrototypeSimilarity(teacher, resized, classes));
        return scope.MoveToOuter(loss);
    }

    private static Tensor Resize(Tensor labels, long height, long width) =>
        labels.Size(1) == height && labels.Size(2) == width
            ? labels
            : F.Interpolate(labels.Unsqueeze(1).To(DType.Float32), (height, width)).Squeeze(1).To(DType.Int64);

    private static Tensor Unit(Tensor vectors) => vectors / vectors.Norm(2, [1], keepDim: true).ClampMin(CosineEpsilon);
}
