namespace Skd.Losses;

/// <summary>
/// Pixel-wise feature distillation towards a self-teacher's refined features, ACW-SKD's option feature-weight:
/// <code>L_feat = (1/(B·C·H·W)) Σ_{b,c,h,w} (F − sg F̂)²</code>
/// the mean squared error between the student's penultimate features F and the FRM's reconstruction F̂ of them
/// (B×C×H×W each), F̂ detached: the FRM's output as the student's "next-stage learning objective" (the paper's
/// wording for the FRM on the penultimate layer), as FRSKD distils its student's features towards its
/// self-teacher's refined ones [ref: FRSKD, Ji et al., CVPR 2021, which matches attention maps; here the features
/// themselves, since F̂ lives in F's space: F̂ = ReLU(F + r(F))]. [ours: the mean over elements, so that the
/// weight does not depend on the width or the image size]
/// </summary>
public static class FeatureDistillationLoss
{
    /// <param name="features">F, B×C×H×W, the student's (gradient flows into it).</param>
    /// <param name="target">F̂, the same shape (detached inside).</param>
    public static Tensor Compute(Tensor features, Tensor target)
    {
        if (!features.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"feature distillation needs features and target of one shape, got [{string.Join(", ", features.Shape)}] and [{string.Join(", ", target.Shape)}]");
        using var scope = new DisposeScope();
        return scope.MoveToOuter((features - target.Detach()).Square().Mean());
    }
}
