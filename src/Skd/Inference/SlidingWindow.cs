namespace Skd.Inference;

/// <summary>
/// Sliding-window inference over 2-D slices, as nnU-Net's predict_sliding_window_return_logits:
/// the slices are padded (centred, zeros) to at least one window; windows of the model's size
/// step through them at nnU-Net's positions (<see cref="Positions"/>); each window's logits are
/// multiplied by the <see cref="GaussianImportance"/> map and summed, and the sum is divided by the
/// summed weights; the padding is cropped off again.
/// </summary>
public static class SlidingWindow
{
    /// <summary>
    /// Logits (N, K, H, W) of slices (N, C, H, W) from a model that maps (B, C, S, S) to (B, K, S, S),
    /// <paramref name="batch"/> windows per call.
    /// </summary>
    public static Tensor Logits(Func<Tensor, Tensor> model, Tensor slices, int window, double overlap, int batch)
    {
        if (slices.Dim != 4) throw new ArgumentException($"sliding-window inference takes slices (N, C, H, W), got [{string.Join(", ", slices.Shape)}]");
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "at least one window per batch");
        using var scope = new DisposeScope();
        long n = slices.Size(0), height = slices.Size(2), width = slices.Size(3);
        var padding = Padding.Centred(height, width, Math.Max(height, window), Math.Max(width, window));
        var padded = padding.Apply(slices);
        long ph = padded.Size(2), pw = padded.Size(3);
        var ys = Positions(ph, window, overlap);
        var xs = Positions(pw, window, overlap);
        var gaussian = GaussianImportance.Map(window, window).To(slices.Device);
        var weight = torch.Zeros([ph, pw], DType.Float32, slices.Device);
        foreach (long y in ys)
            foreach (long x in xs)
                weight.Narrow(0, y, window).Narrow(1, x, window).Add_(gaussian);
        var tiles = (from s in Enumerable.Range(0, (int)n) from y in ys from x in xs select (Slice: (long)s, Y: y, X: x)).ToList();
        Tensor? sum = null;
        foreach (var chunk in tiles.Chunk(batch))
        {
            using var step = new DisposeScope();
            var input = torch.Stack(chunk.Select(t => padded[t.Slice].Narrow(1, t.Y, window).Narrow(2, t.X, window)).ToList());
            var logits = model(input);
            sum ??= step.MoveToOuter(torch.Zeros([n, logits.Size(1), ph, pw], DType.Float32, logits.Device));
            for (int i = 0; i < chunk.Length; i++)
                sum[chunk[i].Slice].Narrow(1, chunk[i].Y, window).Narrow(2, chunk[i].X, window).Add_(logits[i] * gaussian);
        }
        return scope.MoveToOuter(padding.Remove(sum! / weight));
    }

    /// <summary>
    /// Window starts along an axis of <paramref name="size"/> ≥ <paramref name="window"/>, as
    /// nnU-Net's compute_steps_for_sliding_window: the fewest windows whose step is at most
    /// window·(1 − overlap), spread evenly from 0 to size − window (starts rounded half to even, as Python's round).
    /// </summary>
    public static IReadOnlyList<long> Positions(long size, long window, double overlap)
    {
        if (size < window) throw new ArgumentException($"an axis of {size} pixels is shorter than the {window}-pixel window (pad it first)");
        if (overlap is < 0 or >= 1 || double.IsNaN(overlap)) throw new ArgumentException($"the window overlap must lie in [0, 1), got {overlap}");
        double targetStep = window * (1 - overlap);
        int steps = (int)Math.Ceiling((size - window) / targetStep) + 1;
        if (steps == 1) return [0];
        double actualStep = (double)(size - window) / (steps - 1);
        return Enumerable.Range(0, steps).Select(i => (long)Math.Round(actualStep * i, MidpointRounding.ToEven)).ToList();
    }
}
