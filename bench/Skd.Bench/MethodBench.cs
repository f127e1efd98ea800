using System.Text.Json;
using Skd.Distillation;
using Skd.Models;
using Skd.Torch;
using Skd.Torch.Optim;

namespace Skd.Bench;

/// <summary>
/// Each method's training step beside supervised's at the same width, in both memory formats, so that a regression of
/// the self-KD overhead shows. A step is split into its parts: the method's loss (the student's forward pass, whatever
/// the method adds: teacher snapshot, side heads, FRM, heads, and every term), the backward pass and Adam's update; the
/// student's forward pass alone is timed beside it, so that loss − forward is what the method adds before backward.
/// Steps are taken at epoch 60 of 100 (every teacher and every ramped term active), methods and formats in
/// alternating rounds. Medians in milliseconds; <c>over_supervised</c> is the step's ratio to supervised's in the same format.
/// Options: --methods a,b,c (default supervised,dskd,acw-skd; all: every self-distillation method) --width (16)
/// --depth (4) --size (256) --batch (8) --steps per round (3) --rounds (2).
/// </summary>
internal static class MethodBench
{
    private static readonly string[] Parts = ["forward_ms", "loss_ms", "backward_ms", "optimizer_ms", "step_ms"];

    public static string Run(Arguments arguments)
    {
        int width = arguments.Int("--width") ?? 16, depth = arguments.Int("--depth") ?? 4, size = arguments.Int("--size") ?? 256;
        int batch = arguments.Int("--batch") ?? 8, steps = arguments.Int("--steps") ?? 3, rounds = arguments.Int("--rounds") ?? 2;
        string list = arguments.Text("--methods") ?? "supervised,dskd,acw-skd";
        var names = list == "all" ? Methods.All.Where(m => !m.NeedsTeacher).Select(m => m.Name).ToList() : list.Split(',').ToList();
        if (!names.Contains("supervised")) names.Insert(0, "supervised");
        var config = new UNetConfig(1, 2, width, depth);

        torch.ManualSeed(1);
        using var images = DisposeScope.Detach(torch.Randn(batch, 1, size, size));
        using var labels = DisposeScope.Detach(images.Select(1, 0).Gt(0.5).Long());
        var runs = (from name in names from format in UNetBench.Formats select new MethodRun(name, config, format)).ToList();
        foreach (var run in runs) run.Step(images, labels, record: false);
        for (int round = 0; round < rounds; round++)
            foreach (var run in runs)
                for (int i = 0; i < steps; i++) run.Step(images, labels, record: true);

        var result = new Dictionary<string, object>
        {
            ["impl"] = $"skd (libtorch {torch.Version}, .NET {Environment.Version})",
            ["threads"] = torch.NumThreads,
            ["model"] = $"U-Net width {width}, depth {depth}; batch {batch}x1x{size}x{size}; Adam; epoch 60 of 100",
        };
        foreach (var format in UNetBench.Formats)
        {
            double supervised = runs.Single(r => r.Name == "supervised" && r.Format == format).Median("step_ms");
            result[UNetBench.Key(format)] = runs.Where(r => r.Format == format).ToDictionary(r => r.Name, r =>
                (object)Parts.ToDictionary(p => p, p => Math.Round(r.Median(p), 1)).Append(new("over_supervised", Math.Round(r.Median("step_ms") / supervised, 3))).ToDictionary());
        }
        foreach (var run in runs) run.Dispose();
        return JsonSerializer.Serialize(result);
    }

    /// <summary>One method in one memory format with its Adam, and the timings of its steps.</summary>
    private sealed class MethodRun : IDisposable
    {
        private static readonly TrainingStep At = new(60, 100, 0, 1);
        private readonly SegmentationMethod method;
        private readonly Adam optimizer;
        private readonly Dictionary<string, List<double>> times = Parts.ToDictionary(p => p, _ => new List<double>());

        public MethodRun(string name, UNetConfig config, MemoryFormat format)
        {
            (Name, Format) = (name, format);
            torch.ManualSeed(0);
            method = Methods.Create(name, config);
            method.To(format);
            method.BeginEpoch(At.Epoch, At.Epochs);
            optimizer = new Adam(method.TrainableParameters(), lr: 1e-3);
        }

        public string Name { get; }
        public MemoryFormat Format { get; }

        public double Median(string part) => Timing.Median(times[part]);

        public void Step(Tensor images, Tensor labels, bool record)
        {
            double forward = Timing.Seconds(() =>
            {
                using var scope = new DisposeScope();
                method.Student.Forward(images);
            });
            using var scope = new DisposeScope();
            optimizer.ZeroGrad();
            MethodLoss? loss = null;
            double lossTime = Timing.Seconds(() => loss = method.Loss(images, labels, At));
            double backward = Timing.Seconds(() => loss!.Total.Backward());
            double update = Timing.Seconds(optimizer.Step);
            if (!record) return;
            foreach (var (part, seconds) in new[] { ("forward_ms", forward), ("loss_ms", lossTime), ("backward_ms", backward), ("optimizer_ms", update), ("step_ms", lossTime + backward + update) })
                times[part].Add(seconds * 1e3);
        }

        public void Dispose()
        {
            optimizer.Dispose();
            method.Dispose();
        }
    }
}
