namespace Skd.Cuda.Tests;

/// <summary>
/// The skd command on the GPU as a user runs it (<c>--device cuda</c>), on generated CT-like volumes (NIfTI, read
/// without OpenCV): every method's training, resume after a kill, eval and predict, the GPU's results beside the CPU's.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaWorkflowTests(CudaWorkflowTests.Data data) : IClassFixture<CudaWorkflowTests.Data>
{
    private static readonly string[] Tiny = ["--width", "4", "--depth", "2", "--size", "32", "--batch", "4", "--workers", "0"];

    /// <summary>Six generated volumes and a supervised teacher trained on the GPU, shared by the class's tests.</summary>
    public sealed class Data : TempFolder
    {
        public Data() : base("skd-cuda-")
        {
            _ = CudaMachine.Gpu;
            Folder = Path.Combine(root, "organs");
            var (code, stdout, stderr) = SkdProcess.Run("synth", "organs", "--out", Folder, "--count", "6", "--size", "32", "--depth", "4");
            Assert.True(code == 0, stdout + stderr);
            Teacher = Train("teacher", "--method", "supervised", "--epochs", "2");
        }

        public string Folder { get; }
        public string Teacher { get; }
        public string Root => root;

        public string Train(string name, params string[] args)
        {
            string run = Path.Combine(root, name);
            var (code, stdout, stderr) = SkdProcess.Run(["train", "--data", Folder, "--out", run, "--device", "cuda", .. Tiny, .. args]);
            Assert.True(code == 0, stdout + stderr);
            Assert.Contains(", cuda:0; epochs", stdout);   // the run's header names the device it trains on
            return run;
        }
    }

    public static TheoryData<string> MethodNames => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void EveryMethodTrainsOnTheGpu(string method)
    {
        string[] teacher = Methods.Find(method).NeedsTeacher ? ["--teacher", data.Teacher] : [];
        string run = data.Train("method-" + method, ["--method", method, "--epochs", "1", .. teacher]);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal("cuda", config.RootElement.GetProperty("device").GetString());
        Assert.Single(File.ReadAllLines(Path.Combine(run, "log.jsonl")));
        using var checkpoint = Safetensors.Load(Path.Combine(run, "last.safetensors"));
        Assert.All(checkpoint.Tensors, kv => Assert.Equal(Device.Cpu, kv.Value.Device));   // saved from the GPU, loaded on the CPU
    }

    [Fact]
    public void ARunKilledOnTheGpuResumesThereToTheUninterruptedRunsWeights()
    {
        string[] run = ["--epochs", "30", "--seed", "5"];
        string straight = data.Train("straight", run);
        string killed = Path.Combine(data.Root, "killed");
        using (var process = SkdProcess.Start(["train", "--data", data.Folder, "--out", killed, "--device", "cuda", .. Tiny, .. run]))
        {
            string log = Path.Combine(killed, "log.jsonl");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!process.HasExited && !(File.Exists(log) && File.ReadAllLines(log).Length >= 2) && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(5);
            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.InRange(File.ReadAllLines(Path.Combine(killed, "log.jsonl")).Length, 2, 29);
        var (code, stdout, stderr) = SkdProcess.Run("train", "--resume", killed);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains(", cuda:0; epochs", stdout);
        Assert.Equal(30, File.ReadAllLines(Path.Combine(killed, "log.jsonl")).Length);

        // GPU kernels are not bitwise deterministic (atomics in convolution backward), so the weights are compared within a tolerance
        // that a resume losing its optimiser state, schedule or data order would exceed.
        using var expected = Safetensors.Load(Path.Combine(straight, "last.safetensors"));
        using var actual = Safetensors.Load(Path.Combine(killed, "last.safetensors"));
        Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in expected.Tensors)
        {
            if (!tensor.DType.IsFloatingPoint()) continue;
            using var difference = (tensor - actual.Tensors[name]).Abs().Max();
            Assert.True(difference.Item<float>() < 1e-3, $"{name} differs by {difference.Item<float>()} after the resume");
        }
    }

    [Fact]
    public void EvalOnTheGpuScoresAsOnTheCpu()
    {
        double MeanDice(string device)
        {
            string json = Path.Combine(data.Root, $"eval-{device}.json");
            var (code, stdout, stderr) = SkdProcess.Run("eval", "--run", data.Teacher, "--data", data.Folder, "--split", "all", "--device", device, "--engine", "torch", "--json", json);
            Assert.True(code == 0, stdout + stderr);
            using var scores = JsonDocument.Parse(File.ReadAllText(json));
            return scores.RootElement.GetProperty("overall").GetProperty("dice").GetProperty("mean").GetDouble();
        }
        Assert.Equal(MeanDice("cpu"), MeanDice("cuda"), 0.01);
    }

    [Fact]
    public void PredictOnTheGpuGivesTheCpusLabelMaps()
    {
        string input = Path.Combine(data.Folder, "imagesTr");
        string cpu = Path.Combine(data.Root, "predict-cpu"), gpu = Path.Combine(data.Root, "predict-cuda");
        foreach (var (device, output) in new[] { ("cpu", cpu), ("cuda", gpu) })
        {
            var (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", data.Teacher, "--input", input,
                "--out", output, "--mode", "sliding-window", "--device", device, "--engine", "torch");
            Assert.True(code == 0, stdout + stderr);
        }
        var names = Directory.GetFiles(cpu, "*.nii.gz").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(6, names.Count);
        Assert.Equal(names, Directory.GetFiles(gpu, "*.nii.gz").Select(Path.GetFileName).Order());
        foreach (var name in names)
        {
            using var expected = NiftiFile.Read(Path.Combine(cpu, name!));
            using var actual = NiftiFile.Read(Path.Combine(gpu, name!));
            using var scope = new DisposeScope();
            double agreement = expected.Data.Eq(actual.Data).Float().Mean().Item<float>();
            Assert.True(agreement > 0.999, $"{name}: the GPU's labels agree with the CPU's on {agreement:P3} of the voxels");
        }
    }
}
