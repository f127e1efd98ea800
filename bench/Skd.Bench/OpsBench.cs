using System.Text.Json;
using Skd.Torch;
using Skd.Torch.Nn;
using Skd.Torch.Optim;
using F = Skd.Torch.Functional;

namespace Skd.Bench;

/// <summary>
/// (a) per-call overhead: 10,000 adds of two 4-element float32 tensors (each result disposed by a scope);
/// (b) one training step (forward, cross-entropy, backward, SGD with momentum) of a small conv net, batch 8 of
/// 1x128x128. Options: --steps K (default 20).
/// </summary>
internal static class OpsBench
{
    public static string Run(Arguments arguments)
    {
        int steps = arguments.Int("--steps") ?? 20;
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
        double addMicroseconds = Timing.MedianSeconds(Adds, 7) / 10000 * 1e6;

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
        double stepMilliseconds = Timing.MedianSeconds(Step, steps) * 1e3;

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["impl"] = $"skd (libtorch {torch.Version}, .NET {Environment.Version})",
            ["threads"] = torch.NumThreads,
            ["add_us"] = addMicroseconds,
            ["train_step_ms"] = stepMilliseconds,
        });
    }
}
