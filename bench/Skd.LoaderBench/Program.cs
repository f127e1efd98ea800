// Does the training step wait for data? For each worker count, trains a small conv net for two
// epochs over a dataset folder (any layout) through SliceDataset + DataLoader, and prints per
// epoch the time the step spent waiting for batches, the time in training steps, and the total.
// Epoch 1 decodes every image; epoch 2 reads the in-memory cache.
// Usage: Skd.LoaderBench --data DIR [--size S] [--batch B] [--workers 0,2] [--threads N]
using System.Diagnostics;
using Skd.Data;
using Skd.Torch;
using Skd.Torch.Nn;
using Skd.Torch.Optim;
using F = Skd.Torch.Functional;

string data = Arg("--data") ?? throw new ArgumentException("--data DIR is required");
int size = int.Parse(Arg("--size") ?? "128");
int batchSize = int.Parse(Arg("--batch") ?? "8");
int[] workerCounts = (Arg("--workers") ?? "0,2").Split(',').Select(int.Parse).ToArray();
torch.NumThreads = int.Parse(Arg("--threads") ?? Environment.ProcessorCount.ToString());

var dataset = SegmentationDataset.Open(data);
foreach (int workers in workerCounts)
{
    torch.ManualSeed(0);
    using var slices = new SliceDataset(dataset, dataset.Split("train"), DatasetProtocol.Of(dataset).Preprocessor(size));
    using var net = new Sequential(
        new Conv2d(slices.Channels, 16, 3, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
        new Conv2d(16, 32, 3, padding: 1, bias: false), new BatchNorm2d(32), new ReLU(),
        new ConvTranspose2d(32, 16, 2, stride: 2), new ReLU(), new Conv2d(16, slices.ClassCount, 1));
    using var optimizer = new Adam(net.Parameters(), lr: 1e-3);
    var loader = new DataLoader(slices, batchSize, seed: 0, workers: workers);
    for (int epoch = 0; epoch < 2; epoch++)
    {
        var clock = Stopwatch.StartNew();
        var training = TimeSpan.Zero;
        foreach (var batch in loader.Epoch(epoch))
        {
            using var scope = new DisposeScope();
            using (batch)
            {
                var step = Stopwatch.StartNew();
                optimizer.ZeroGrad();
                F.CrossEntropy(net.Forward(batch.Images), batch.Labels).Backward();
                optimizer.Step();
                training += step.Elapsed;
            }
        }
        Console.WriteLine($"workers {workers}, epoch {epoch + 1} ({(epoch == 0 ? "decoding" : "cached")}): " +
                          $"waited for data {loader.LastEpochWait.TotalSeconds:F2} s, training steps {training.TotalSeconds:F2} s, " +
                          $"epoch {clock.Elapsed.TotalSeconds:F2} s ({slices.Count} samples, {loader.BatchesPerEpoch} batches)");
    }
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
