namespace Skd.Inference;

/// <summary>
/// Test-time augmentation by mirroring, as nnU-Net's 2-D configuration does (mirror axes (0, 1) of
/// the slice): the slices are predicted as they are, flipped left–right, flipped up–down and flipped
/// both ways; each prediction's class probabilities are flipped back and the four are averaged
/// <code>
/// p(x) = ¼ Σ_{m ∈ {id, W, H, HW}} m(softmax(f(m(x))))
/// </code>
/// Probabilities are averaged, as nnU-Net v1 (predict_2D's do_mirroring) and the issue ask; nnU-Net v2
/// averages the logits before its softmax. The model is 2-D, so volumes are mirrored in-plane only:
/// flipping the slice order changes nothing for a model that sees one slice at a time.
/// </summary>
public static class TestTimeMirroring
{
    /// <summary>The flips, as dimensions of (N, C, H, W): none, W, H, both.</summary>
    public static IReadOnlyList<long[]> Flips { get; } = [[], [3], [2], [2, 3]];

    /// <summary>The mean of <paramref name="probabilities"/> (N, C, H, W) → (N, K, H', W') over <see cref="Flips"/>, each flipped back.</summary>
    public static Tensor Average(Func<Tensor, Tensor> probabilities, Tensor slices)
    {
        if (slices.Dim != 4) throw new ArgumentException($"mirroring takes slices (N, C, H, W), got [{string.Join(", ", slices.Shape)}]");
        using var scope = new DisposeScope();
        Tensor? sum = null;
        foreach (var dims in Flips)
        {
            using var step = new DisposeScope();
            var p = dims.Length == 0 ? probabilities(slices) : probabilities(slices.Flip(dims)).Flip(dims);
            sum = sum is null ? step.MoveToOuter(p) : sum.Add_(p);   // p is a fresh softmax: summed into in place
        }
        return scope.MoveToOuter(sum!.Div_(Flips.Count));
    }
}
