using System.CommandLine;
using System.Diagnostics;
using Skd.Torch;
using Skd.Torch.Nn;
using Skd.Torch.Optim;
using Spectre.Console;
using F = Skd.Torch.Functional;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd demo</c>: the built-in first run. Generates angiography-like images (the generator of
/// <c>skd synth vessels</c>), trains a small encoder-decoder for a few hundred steps with
/// cross-entropy + soft Dice on batches drawn from them, prints the falling loss and the Dice on held-out
/// images. No files are needed or written.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 300 };
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Image side in pixels.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of data, initialisation and order.", DefaultValueFactory = _ => 0UL };
        var command = new Command("demo", "Train a small segmentation net on generated vessel images and print the falling loss (no data needed).");
        foreach (var o in new Option[] { steps, batch, size, seed }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            return Run(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(size), parse.GetValue(seed));
        });
        return command;
    }

    private static int Run(int steps, int batch, int size, ulong seed)
    {
        if (steps < 1 || batch < 1 || size < 16 || size % 4 != 0)
            throw new ArgumentException("--steps and --batch must be positive and --size a multiple of 4 of at least 16");
        torch.ManualSeed(seed);
        using var net = new Sequential(
            new Conv2d(1, 8, 3, padding: 1, bias: false), new BatchNorm2d(8), new ReLU(),
            new Conv2d(8, 8, 3, padding: 1, bias: false), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1, bias: false), new BatchNorm2d(16), new ReLU(),
            new ConvTranspose2d(16, 8, 2, stride: 2), new ReLU(),
            new Conv2d(8, 8, 3, padding: 1), new ReLU(), new Conv2d(8, 2, 1));
        using var optimizer = new Adam(net.Parameters(), lr: 3e-3);
        var (trainImages, trainMasks) = VesselImages.Generate(64, size, seed: (int)seed);
        var (testImages, testMasks) = VesselImages.Generate(16, size, seed: (int)seed + 1);
        var order = new Random((int)seed);

        AnsiConsole.MarkupLine($"[bold]skd demo[/]: {steps} steps, batch {batch}, 64 generated {size}×{size} angiograms, " +
                               $"{net.ParameterCount:N0} parameters, libtorch {torch.Version}, {torch.NumThreads} thread(s)");
        var clock = Stopwatch.StartNew();
        double running = double.NaN;
        for (int step = 1; step <= steps; step++)
        {
            using var scope = new DisposeScope();
            var pick = Tensor.From(Enumerable.Range(0, batch).Select(_ => (long)order.Next(64)).ToArray());
            var (images, masks) = (trainImages.IndexSelect(0, pick), trainMasks.IndexSelect(0, pick));
            var logits = net.Forward(images);
            var loss = F.CrossEntropy(logits, masks) + SoftDiceLoss(logits, masks);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            double value = loss.Item();
            if (!double.IsFinite(value)) throw new InvalidOperationException($"the loss became {value} at step {step}");
            running = double.IsNaN(running) ? value : 0.9 * running + 0.1 * value;
            if (step == 1 || step % 25 == 0 || step == steps)
                AnsiConsole.MarkupLine($"step {step,5}/{steps}  loss {running:F4}  ({step * batch / clock.Elapsed.TotalSeconds:F0} images/s)");
        }

        net.Eval();
        double dice;
        using (var scope = new DisposeScope())
        using (torch.NoGrad())
        {
            var predicted = net.Forward(testImages).Argmax(1);
            var tp = predicted.Mul(testMasks).Sum().Item();
            dice = 2 * tp / (predicted.Sum().Item() + testMasks.Sum().Item());
        }
        AnsiConsole.MarkupLine($"[green]done[/] in {clock.Elapsed.TotalSeconds:F1} s; vessel Dice on 16 held-out images: [bold]{dice:F3}[/]");
        foreach (var t in new[] { trainImages, trainMasks, testImages, testMasks }) t.Dispose();
        return 0;
    }

    /// <summary>1 − 2Σpy/(Σp + Σy) on the foreground probability (Milletari et al. 2016, V-Net), over the batch.</summary>
    private static Tensor SoftDiceLoss(Tensor logits, Tensor masks)
    {
        var p = logits.Softmax(1).Select(1, 1);
        var y = masks.Float();
        return 1 - (p * y).Sum() * 2 / (p.Sum() + y.Sum() + 1e-6);
    }
}
