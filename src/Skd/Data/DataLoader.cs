using System.Diagnostics;

namespace Skd.Data;

/// <summary>A batch: images float32 (N, C, S, S), labels int64 (N, S, S), and where each sample came from. Owned by the receiver.</summary>
public sealed record Batch(Tensor Images, Tensor Labels, IReadOnlyList<SampleRef> Samples) : IDisposable
{
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Batches of a <see cref="SliceDataset"/> in a seeded order, assembled ahead of time on worker
/// threads (as torch.utils.data.DataLoader with num_workers and prefetch_factor) so that the
/// training step does not wait for data. The order depends only on (seed, epoch): the same with
/// any number of workers and in every process. <see cref="LastEpochWait"/> is how long the consumer waited.
/// </summary>
public sealed class DataLoader
{
    private readonly SliceDataset data;

    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public int Seed { get; }
    /// <summary>Threads that assemble batches; 0 assembles them on the consumer's thread.</summary>
    public int Workers { get; }
    /// <summary>Batches assembled ahead of the consumer, at most.</summary>
    public int Prefetch { get; }

    /// <summary>Time the consumer spent blocked waiting for a batch during the last epoch.</summary>
    public TimeSpan LastEpochWait { get; private set; }

    public DataLoader(SliceDataset data, int batchSize, bool shuffle = true, int seed = 0, int workers = 2, int prefetch = 4, bool dropLast = false)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        if (workers < 0 || prefetch < 1) throw new ArgumentOutOfRangeException(nameof(workers), "workers must be ≥ 0 and prefetch ≥ 1");
        (this.data, BatchSize, Shuffle, Seed, Workers, Prefetch, DropLast) = (data, batchSize, shuffle, seed, workers, prefetch, dropLast);
    }

    public int BatchesPerEpoch => DropLast ? data.Count / BatchSize : (data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The sample indices of each batch of <paramref name="epoch"/>, in order.</summary>
    public IReadOnlyList<int[]> Plan(int epoch)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        if (Shuffle) Seeds.Random(Seed, epoch).Shuffle(order);
        return Enumerable.Range(0, BatchesPerEpoch)
            .Select(b => order.Skip(b * BatchSize).Take(BatchSize).ToArray())
            .ToList();
    }

    /// <summary>The batches of one epoch. Stopping early (break) cancels the workers and frees what they made.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var plan = Plan(epoch);
        var wait = TimeSpan.Zero;
        if (Workers == 0)
        {
            foreach (var indices in plan)
            {
                var clock = Stopwatch.StartNew();
                var batch = Assemble(indices);
                wait += clock.Elapsed;
                yield return batch;
            }
            LastEpochWait = wait;
            yield break;
        }

        var slots = plan.Select(_ => new TaskCompletionSource<Batch>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var cancel = new CancellationTokenSource();
        using var room = new SemaphoreSlim(Prefetch);
        int next = -1;
        void Work()
        {
            while (!cancel.IsCancellationRequested)
            {
                try { room.Wait(cancel.Token); }
                catch (OperationCanceledException) { return; }
                int b = Interlocked.Increment(ref next);
                if (b >= plan.Count) return;
                try { slots[b].SetResult(Assemble(plan[b])); }
                catch (Exception e) { slots[b].SetException(e); }
            }
        }
        var workers = Enumerable.Range(0, Workers).Select(_ => new Thread(Work) { IsBackground = true, Name = "skd-loader" }).ToList();
        workers.ForEach(w => w.Start());
        int consumed = 0;
        try
        {
            for (; consumed < plan.Count; consumed++)
            {
                var clock = Stopwatch.StartNew();
                var batch = slots[consumed].Task.GetAwaiter().GetResult();
                wait += clock.Elapsed;
                room.Release();
                yield return batch;
            }
        }
        finally
        {
            cancel.Cancel();
            workers.ForEach(w => w.Join());
            for (int b = consumed + 1; b < slots.Length; b++)
                if (slots[b].Task.IsCompletedSuccessfully) slots[b].Task.Result.Dispose();
            LastEpochWait = wait;
        }
    }

    private Batch Assemble(int[] indices)
    {
        using var scope = new DisposeScope();
        var items = indices.Select(data.Get).ToList();
        var images = DisposeScope.Detach(torch.Stack(items.Select(i => i.Image).ToList()));
        var labels = DisposeScope.Detach(torch.Stack(items.Select(i => i.Label).ToList()));
        return new Batch(images, labels, indices.Select(i => data.Samples[i]).ToList());
    }
}
