// Predict latency of the inference engines on the same seeded U-Net: one forward pass (batch B of
// C_in x S x S) through libtorch (TorchEngine), through ONNX Runtime (OnnxRuntimeEngine, the graph
// exported in memory, batch norm folded) and through ONNX Runtime on that graph quantised to int8
// (QdqQuantizer, activation ranges from 8 standard-normal images: the latency does not depend on them),
// timed in interleaved rounds so that a slow spell of a shared machine falls on all alike; prints the
// medians and their ratios to libtorch's as one JSON object, with the float32 bound: the time the pass's
// multiply-accumulates (UNet.Profile) take at this machine's FMA peak on --threads cores (FmaPeak), the least
// time any float32 engine can take, and the share of that peak each float32 engine reaches (bound / its time).
// Usage: dotnet bench/Skd.PredictBench/bin/Release/net10.0/Skd.PredictBench.dll [--threads N] [--width W]
//        [--depth D] [--size S] [--batch B] [--rounds R] [--engine torch|onnx|onnx_int8]
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Skd.Export;
using Skd.Inference;
using Skd.Models;
using Skd.PredictBench;
using Skd.Torch;

int threads = int.Parse(Arg("--threads") ?? "2"), width = int.Parse(Arg("--width") ?? "16"), depth = int.Parse(Arg("--depth") ?? "4");
int size = int.Parse(Arg("--size") ?? "512"), batch = int.Parse(Arg("--batch") ?? "1"), rounds = int.Parse(Arg("--rounds") ?? "15");
double fmaPeak = FmaPeak.MacsPerSecond();   // before any engine's threads exist: the process's CPU time is the loop's
torch.NumThreads = threads;
torch.ManualSeed(0);
var config = new UNetConfig(1, 2, width, depth);
using var network = new UNet(config);
var info = new ModelInfo { Network = config, Size = size };
using var torchEngine = new TorchEngine(network, ownsNetwork: false);
var float32 = UNetOnnxExporter.Export(network, info);
using var onnxEngine = new OnnxRuntimeEngine(float32.ToByteArray(), config, "in memory");
var calibration = Enumerable.Range(0, 8).Select(_ => torch.Randn(1, 1, size, size)).ToList();
var int8 = QdqQuantizer.Quantize(float32, ActivationCalibrator.Measure(float32, calibration));
using var int8Engine = new OnnxRuntimeEngine(int8.ToByteArray(), config, "in memory");
using var input = torch.Randn(batch, 1, size, size);

var engines = new Dictionary<string, IInferenceEngine> { ["torch"] = torchEngine, ["onnx"] = onnxEngine, ["onnx_int8"] = int8Engine };
// --engine NAME times that engine alone, so that no other engine's thread pool is awake in the process.
if (Arg("--engine") is { } only) engines = engines.Where(e => e.Key == only).ToDictionary(e => e.Key, e => e.Value);
if (engines.Count == 0) throw new ArgumentException($"--engine takes torch, onnx or onnx_int8, got '{Arg("--engine")}'");
var times = engines.Keys.ToDictionary(name => name, _ => new List<double>());
foreach (var engine in engines.Values) Time(engine);   // warm-up
for (int round = 0; round < rounds; round++)
    foreach (var (name, engine) in engines) times[name].Add(Time(engine));

double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
var result = new Dictionary<string, object>
{
    ["model"] = $"U-Net width {width}, depth {depth}", ["input"] = $"{batch}x1x{size}x{size}", ["threads"] = threads, ["rounds"] = rounds,
};
foreach (var name in engines.Keys) result[$"{name}_ms"] = Math.Round(Median(times[name]), 1);
if (engines.ContainsKey("torch")) foreach (var name in engines.Keys.Skip(1)) result[$"{name}_over_torch"] = Math.Round(Median(times[name]) / Median(times["torch"]), 2);
double macs = batch * network.Profile(size).Macs, boundMs = macs / (fmaPeak * threads) * 1e3;
result["gmacs"] = Math.Round(macs / 1e9, 2);
result["fma_peak_gmacs_per_core"] = Math.Round(fmaPeak / 1e9, 1);
result["float32_bound_ms"] = Math.Round(boundMs, 1);
foreach (var name in engines.Keys.Where(n => n != "onnx_int8")) result[$"{name}_of_fma_peak"] = Math.Round(boundMs / Median(times[name]), 2);
if (engines.ContainsKey("torch")) result["float32_bound_over_torch"] = Math.Round(boundMs / Median(times["torch"]), 2);
Console.WriteLine(JsonSerializer.Serialize(result));

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
