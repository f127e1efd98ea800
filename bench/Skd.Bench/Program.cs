// C# side of bench/run.sh: the same work as reference/torch_bench.py, timed the same way.
//  (a) per-call overhead: 10,000 adds of two 4-element float32 tensors (each result disposed by a scope);
//  (b) one training step (forward, cross-entropy, backward, SGD with momentum) of a small conv net,
//      batch 8 of 1x128x128.
// Prints one JSON object. Usage: Skd.Bench --threads N [--steps K]
using System.Diagnostics;
using System.Text.Json;
using Skd.Torch;
using Skd.Torch.Nn;
using Skd.Torch.Optim;
using F = Skd.Torch.Functional;

int threads = int.Parse(Arg("--threads") ?? throw new ArgumentException("--threads N is required"));
int steps = int.Parse(Arg("--steps") ?? "20");
torch.NumThreads = threads;
torch.ManualSeed(0);

using var a = torch.Rand(4);
using var b = torch.Rand(4);
void Adds()
{
    using var scope = new DisposeScope();
    for (int i = 0; i < 10000; i++)
    {
        var c = a + b;
        c.Dispose();
    }
}
Adds();
double addMicroseconds = MedianSeconds(Adds, 7) / 10000 * 1e6;

using var net = new Sequential(
    new Conv2d(1, 16, 3, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(),
    new Conv2d(16, 16, 3, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
    new Conv2d(16, 32, 3, padding: 1, bias: false), new BatchNorm2d(32), new ReLU(),
    new ConvTranspose2d(32, 16, 2, stride: 2), new ReLU(),
    new Conv2d(16, 2, 1));
using var optimizer = new SGD(net.Parameters(), lr: 0.01, momentum: 0.9);
using var x = DisposeScope.Detach(torch.Randn(8, 1, 128, 128));
using var y = DisposeScope.Detach(x.Select(1, 0).Gt(0.5).Long());
void Step()
{
    using var scope = new DisposeScope();
    optimizer.ZeroGrad();
    var loss = F.CrossEntropy(net.Forward(x), y);
    loss.Backward();
    optimizer.Step();
}
for (int i = 0; i < 3; i++) Step();
double stepMilliseconds = MedianSeconds(Step, steps) * 1e3;

Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["impl"] = $"skd (libtorch {torch.Version}, .NET {Environment.Version})",
    ["threads"] = torch.NumThreads,
    ["add_us"] = addMicroseconds,
    ["train_step_ms"] = stepMilliseconds,
}));

static double MedianSeconds(Action work, int repeats)
{
    var times = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        var clock = Stopwatch.StartNew();
        work();
        times.Add(clock.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
