// Predict latency of the two inference engines on the same seeded U-Net: one forward pass (batch B of
// C_in x S x S) through libtorch (TorchEngine) and through ONNX Runtime (OnnxRuntimeEngine, the graph
// exported in memory, batch norm folded), timed in interleaved rounds so that a slow spell of a shared
// machine falls on both alike; prints the medians and their ratio as one JSON object.
// Usage: dotnet bench/Skd.PredictBench/bin/Release/net10.0/Skd.PredictBench.dll [--threads N] [--width W]
//        [--depth D] [--size S] [--batch B] [--rounds R]
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Skd.Export;
using Skd.Inference;
using Skd.Models;
using Skd.Torch;

int threads = int.Parse(Arg("--threads") ?? "2"), width = int.Parse(Arg("--width") ?? "16"), depth = int.Parse(Arg("--depth") ?? "4");
int size = int.Parse(Arg("--size") ?? "512"), batch = int.Parse(Arg("--batch") ?? "1"), rounds = int.Parse(Arg("--rounds") ?? "15");
torch.NumThreads = threads;
torch.ManualSeed(0);
var config = new UNetConfig(1, 2, width, depth);
using var network = new UNet(config);
var info = new ModelInfo { Network = config, Size = size };
using var torchEngine = new TorchEngine(network, ownsNetwork: false);
using var onnxEngine = new OnnxRuntimeEngine(UNetOnnxExporter.Export(network, info).ToByteArray(), config, "in memory");
using var input = torch.Randn(batch, 1, size, size);

IInferenceEngine[] engines = [torchEngine, onnxEngine];
var times = engines.ToDictionary(e => e.Kind, _ => new List<double>());
foreach (var engine in engines) Time(engine);   // warm-up
for (int round = 0; round < rounds; round++)
    foreach (var engine in engines) times[engine.Kind].Add(Time(engine));

double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
double torchMs = Median(times[InferenceEngineKind.Torch]), onnxMs = Median(times[InferenceEngineKind.Onnx]);
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["model"] = $"U-Net width {width}, depth {depth}", ["input"] = $"{batch}x1x{size}x{size}", ["threads"] = threads, ["rounds"] = rounds,
    ["torch_ms"] = Math.Round(torchMs, 1), ["onnx_ms"] = Math.Round(onnxMs, 1), ["onnx_over_torch"] = Math.Round(onnxMs / torchMs, 2),
}));

double Time(IInferenceEngine engine)
{
    using var scope = new DisposeScope();
    var clock = Stopwatch.StartNew();
    engine.Logits(input);
    return clock.Elapsed.TotalMilliseconds;
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
