using System.Text.Json;
using Skd.Distillation;
using Skd.Inference;
using Skd.Models;
using Skd.Torch;
using Skd.Torch.Optim;

namespace Skd.Bench;

/// <summary>
/// The U-Net users train, in both memory formats, timed in alternating rounds so that a slow spell of a shared machine
/// falls on both alike: training (the supervised method: 0.5 CE + 0.5 Dice, Adam 1e-3) on batches of B x 1 x S x S,
/// in images per second (B over the median step); inference of one 1 x I x I image through the torch engine (batch
/// norm folded, no grad), in seconds (the median). The same work as reference/torch_bench.py --suite unet.
/// Options: --width (16) --depth (4) --size S (256) --batch B (8) --steps per round (5) --rounds (3)
/// --infer-size I (512) --infer-repeats per round (5) --device (cpu; cuda: each timing ends when the GPU has done
/// the work, a scalar read back as PyTorch's .item() does).
/// </summary>
internal static class UNetBench
{
    public static readonly MemoryFormat[] Formats = [MemoryFormat.Contiguous, MemoryFormat.ChannelsLast];

    public static string Run(Arguments arguments)
    {
        int width = arguments.Int("--width") ?? 16, depth = arguments.Int("--depth") ?? 4, size = arguments.Int("--size") ?? 256;
        int batch = arguments.Int("--batch") ?? 8, steps = arguments.Int("--steps") ?? 5, rounds = arguments.Int("--rounds") ?? 3;
        int inferSize = arguments.Int("--infer-size") ?? 512, inferRepeats = arguments.Int("--infer-repeats") ?? 5;
        var device = Device.Parse(arguments.Text("--device") ?? "cpu");
        device.EnsureAvailable();
        var config = new UNetConfig(1, 2, width, depth);

        var trainers = Formats.ToDictionary(f => f, f => new Trainer(config, f, device));
        torch.ManualSeed(1);
        using var images = DisposeScope.Detach(torch.Randn(batch, 1, size, size).To(device));
        using var labels = DisposeScope.Detach(images.Select(1, 0).Gt(0.5).Long());
        var engines = Formats.ToDictionary(f => f, f => Engine(config, f, device));
        using var image = DisposeScope.Detach(torch.Randn(1, 1, inferSize, inferSize).To(device));

        var stepSeconds = Formats.ToDictionary(f => f, _ => new List<double>());
        var inferSeconds = Formats.ToDictionary(f => f, _ => new List<double>());
        foreach (var f in Formats)
        {
            for (int i = 0; i < 2; i++) trainers[f].Step(images, labels);   // warm-up: the allocator's working set, Adam's state
            Infer(engines[f], image);
        }
        for (int round = 0; round < rounds; round++)
            foreach (var f in Formats)
            {
                for (int i = 0; i < steps; i++) stepSeconds[f].Add(Timing.Seconds(() => trainers[f].Step(images, labels)));
                for (int i = 0; i < inferRepeats; i++) inferSeconds[f].Add(Timing.Seconds(() => Infer(engines[f], image)));
            }
        foreach (var t in trainers.Values) t.Dispose();
        foreach (var e in engines.Values) e.Dispose();

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["impl"] = $"skd (libtorch {torch.Version}, .NET {Environment.Version})",
            ["threads"] = torch.NumThreads,
            ["device"] = device.ToString(),
            ["model"] = $"U-Net width {width}, depth {depth}; train batch {batch}x1x{size}x{size}; infer 1x1x{inferSize}x{inferSize}",
            ["train_img_s"] = Formats.ToDictionary(Key, f => batch / Timing.Median(stepSeconds[f])),
            ["infer_s"] = Formats.ToDictionary(Key, f => Timing.Median(inferSeconds[f])),
        });
    }

    /// <summary>The JSON key of a format (PyTorch's spelling, as torch_bench.py writes it).</summary>
    public static string Key(MemoryFormat format) => format == MemoryFormat.ChannelsLast ? "channels_last" : "contiguous";

    private static TorchEngine Engine(UNetConfig config, MemoryFormat format, Device device)
    {
        torch.ManualSeed(2);
        return new TorchEngine(new UNet(config), ownsNetwork: true, format, device);
    }

    private static void Infer(TorchEngine engine, Tensor image)
    {
        using var scope = new DisposeScope();
        WaitFor(engine.Logits(image));
    }

    /// <summary>Returns when <paramref name="result"/> is computed: a scalar of it read back (on a GPU, after every queued kernel).</summary>
    private static void WaitFor(Tensor result)
    {
        using var scope = new DisposeScope();
        result.Flatten().Narrow(0, 0, 1).Cpu();
    }

    /// <summary>The supervised method of a U-Net in one memory format with its Adam.</summary>
    private sealed class Trainer : IDisposable
    {
        private readonly SegmentationMethod method;
        private readonly Adam optimizer;

        public Trainer(UNetConfig config, MemoryFormat format, Device device)
        {
            torch.ManualSeed(0);
            method = Methods.Create("supervised", config);
            method.To(device);
            method.To(format);
            optimizer = new Adam(method.TrainableParameters(), lr: 1e-3);
        }

        public void Step(Tensor images, Tensor labels)
        {
            using var scope = new DisposeScope();
            optimizer.ZeroGrad();
            method.Loss(images, labels, new TrainingStep(0, 1, 0, 1)).Total.Backward();
            optimizer.Step();
            WaitFor(method.TrainableParameters().First());
        }

        public void Dispose()
        {
            optimizer.Dispose();
            method.Dispose();
        }
    }
}
