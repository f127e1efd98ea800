// C# side of bench/run.sh. One suite per run, printing one JSON object:
//  --suite ops      the same work as reference/torch_bench.py --suite ops: the per-call overhead of 10,000 adds
//                   of two 4-element tensors, and one training step of a small conv net (OpsBench);
//  --suite unet     the same work as reference/torch_bench.py --suite unet: U-Net training img/s and inference
//                   latency in both memory formats (UNetBench);
//  --suite methods  each method's training step beside supervised's, in both memory formats, split into its
//                   parts (MethodBench).
// Usage: Skd.Bench --suite S --threads N [suite options, see each suite]
using Skd.Bench;
using Skd.Torch;

var arguments = new Arguments(args);
torch.NumThreads = arguments.Int("--threads") ?? throw new ArgumentException("--threads N is required");
string result = (arguments.Text("--suite") ?? "ops") switch
{
    "ops" => OpsBench.Run(arguments),
    "unet" => UNetBench.Run(arguments),
    "methods" => MethodBench.Run(arguments),
    var other => throw new ArgumentException($"unknown suite '{other}' (ops, unet or methods)"),
};
Console.WriteLine(result);
