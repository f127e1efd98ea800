namespace Skd.Distillation;

/// <summary>
/// A frozen copy of some of a method's modules, taken at the start of every epoch t ≥ 1: the weights
/// at the end of epoch t − 1, the "past version of the model itself" that teaches DSKD's PSDL and DDL
/// (methods.md §2) and PS-KD's targets (§3). Epoch 0 has no teacher.
/// <para>
/// The copies are registered under the names of the modules they copy (so the method's state dict holds
/// them, e.g. <c>snapshot.student.*</c>, and a resumed run continues with the same teacher), with
/// RequiresGrad = false on every parameter (so they stay out of <see cref="SegmentationMethod.TrainableParameters"/>).
/// Parameters and buffers are copied (batch norm's running statistics included). The buffer <c>epoch</c>
/// records the epoch the copy was taken for (−1: none yet): <see cref="BeginEpoch"/> after a mid-epoch
/// resume keeps the loaded copy instead of copying the mid-epoch weights.
/// </para>
/// <para>
/// The teacher runs in evaluation mode (batch norm on its running statistics) under no-grad, see
/// <see cref="Frozen"/>: a fixed function of its input, independent of the batch's composition, and
/// running it leaves its buffers unchanged. [ours: the papers do not say]
/// </para>
/// </summary>
public sealed class EpochSnapshot : Module
{
    private readonly List<(Module Source, Module Copy)> parts = new();
    private readonly Tensor epoch;

    /// <param name="parts">Each module to copy, with a freshly built module of the same structure that holds the copy.</param>
    public EpochSnapshot(params (string Name, Module Source, Module Copy)[] parts)
    {
        foreach (var (name, source, copy) in parts)
        {
            RegisterModule(name, copy);
            foreach (var parameter in copy.Parameters()) parameter.RequiresGrad = false;
            this.parts.Add((source, copy));
        }
        epoch = RegisterBuffer("epoch", torch.Full([], -1, DType.Int64));
    }

    /// <summary>The epoch at whose start the copy was taken; −1 before the first.</summary>
    public int Epoch => (int)epoch.Item<long>();

    /// <summary>Takes the copy at the start of epoch <paramref name="epochIndex"/> ≥ 1, unless it already holds that epoch's.</summary>
    public void BeginEpoch(int epochIndex)
    {
        if (epochIndex >= 1 && Epoch != epochIndex) Take(epochIndex);
    }

    /// <summary>Copies every parameter and buffer of the sources now, for epoch <paramref name="epochIndex"/>.</summary>
    private void Take(int epochIndex)
    {
        using var noGrad = torch.NoGrad();
        foreach (var (source, copy) in parts)
        {
            var values = source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var (key, tensor) in copy.StateDict()) tensor.Copy_(values[key]);
        }
        epoch.Fill_(epochIndex);
    }

    /// <summary>
    /// Whether a teacher exists in epoch <paramref name="epochIndex"/>: none in epoch 0; from epoch 1 on,
    /// the copy must have been taken for that epoch (the trainer calls BeginEpoch first).
    /// </summary>
    public bool HasTeacher(int epochIndex)
    {
        if (epochIndex == 0) return false;
        int taken = Epoch;
        if (taken != epochIndex)
            throw new InvalidOperationException($"the snapshot was taken for epoch {taken}, not {epochIndex}: call BeginEpoch({epochIndex}) before the epoch's first loss");
        return true;
    }

    /// <summary>
    /// Puts the copies in evaluation mode, lays them out in <see cref="MemoryFormats.Default"/> (the faster format for a
    /// forward pass here, whatever format the student trains in: a frozen pass keeps no activations for a backward, and
    /// its outputs feed elementwise losses, which take either layout; with a contiguous student, dskd's step went from
    /// 1.52x to 1.40-1.49x supervised's, bench/methods.sh), and turns gradient recording off until the returned guard is disposed.
    /// </summary>
    public IDisposable Frozen()
    {
        Eval();
        if (MemoryFormat != MemoryFormats.Default) To(MemoryFormats.Default);
        return torch.NoGrad();
    }
}
