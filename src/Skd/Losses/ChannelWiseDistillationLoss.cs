namespace Skd.Losses;

/// <summary>
/// Channel-wise distillation (CWD; Shu et al., ICCV 2021, "Channel-wise Knowledge Distillation for
/// Dense Prediction"): each class channel c of an image becomes a distribution over its H·W
/// positions, φ(Z_c) = softmax(Z_c/τ) over the positions, and
/// <code>L = τ²/(B·K) · Σ_{b,c} KL(φ(Z_T,b,c) ‖ φ(Z_S,b,c)),   KL(P‖Q) = Σ_i P_i (log P_i − log Q_i)</code>
/// summed over positions, channels and images (methods.md §3). As the authors' code (mmrazor's
/// ChannelWiseDivergence): on the logits, τ = 1, loss weight 3 to 5 set by the caller. Student and
/// teacher maps must have the same shape; the caller decides what receives gradient (the teacher's
/// logits come without history from a frozen teacher).
/// </summary>
public static class ChannelWiseDistillationLoss
{
    /// <param name="student">B×K×H×W student logits.</param>
    /// <param name="teacher">B×K×H×W teacher logits.</param>
    /// <param name="temperature">τ of the spatial softmaxes.</param>
    public static Tensor Compute(Tensor student, Tensor teacher, double temperature = 1)
    {
        if (!student.Shape.SequenceEqual(teacher.Shape) || student.Dim != 4)
            throw new ArgumentException($"CWD compares B×K×H×W maps of one shape, got student [{string.Join(", ", student.Shape)}] and teacher [{string.Join(", ", teacher.Shape)}]");
        using var scope = new DisposeScope();
        var logS = (student / temperature).Flatten(2).LogSoftmax(2);
        var logT = (teacher / temperature).Flatten(2).LogSoftmax(2);
        var kl = F.KlDiv(logS, logT, Reduction.Sum, logTarget: true);
        return scope.MoveToOuter(kl * (temperature * temperature / (student.Size(0) * student.Size(1))));
    }
}
