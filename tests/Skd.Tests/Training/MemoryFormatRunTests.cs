namespace Skd.Tests.Training;

/// <summary>Training and inference in channels-last memory give what contiguous memory gives, and write contiguous files.</summary>
[Collection(SerialCollection.Name)]
public sealed class MemoryFormatRunTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-memory-format-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void AChannelsLastRunLogsTheContiguousRunsLossesAndDiceAndSavesContiguousCheckpoints()
    {
        string data = TinyData.Vessels(root);
        var config = TinyData.Config(data, epochs: 2);
        var contiguous = TrainingRun.Start(config with { MemoryFormat = "contiguous" }, Path.Combine(root, "contiguous"));
        var channelsLast = TrainingRun.Start(config with { MemoryFormat = "channels-last" }, Path.Combine(root, "channels-last"));
        Assert.Equal("channels-last", TrainConfig.Load(channelsLast.ConfigPath).MemoryFormat);

        var expected = RunFolder.ReadLog(contiguous.LogPath);
        var actual = RunFolder.ReadLog(channelsLast.LogPath);
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal(want.Total, got.Total, 1e-4);
            Assert.Equal(want.ValDice!.Value, got.ValDice!.Value, 1e-4);
        }

        using var last = Safetensors.Load(channelsLast.LastPath);
        Assert.All(last.Tensors, t => Assert.True(t.Value.IsContiguous, $"{t.Key} was loaded with strides [{string.Join(", ", t.Value.Strides)}]"));
        using var reference = Safetensors.Load(contiguous.LastPath);
        foreach (var (name, tensor) in reference.Tensors.Where(t => t.Value.DType == DType.Float32))
        {
            using var difference = (tensor - last.Tensors[name]).Abs().Max();
            Assert.True(difference.Item() < 1e-3, $"{name} differs by {difference.Item()} between the runs");
        }
    }

    [Fact]
    public void ANetworkInChannelsLastSavesItsValuesInContiguousOrder()
    {
        torch.ManualSeed(4);
        var config = new UNetConfig(3, 2, 4, 2);
        using var network = new UNet(config);
        network.To(MemoryFormat.ChannelsLast);
        Assert.Contains(network.Parameters(), p => p.Dim == 4 && !p.IsContiguous);
        string path = Path.Combine(root, "model.safetensors");
        ModelFile.Save(path, network, new ModelInfo { Network = config, Size = 32 });

        var (loaded, _) = ModelFile.Load(path);
        using (loaded)
        using (new DisposeScope())
            foreach (var ((name, saved), (_, read)) in network.StateDict().Zip(loaded.StateDict()))
            {
                Assert.True(read.IsContiguous, name);
                using var difference = saved.Double().Sub(read.Double()).Abs().Sum();
                Assert.True(difference.Item() == 0, $"{name} was saved out of order");
            }
    }

    [Theory]
    [InlineData(InferenceMode.Resize)]
    [InlineData(InferenceMode.SlidingWindow)]
    public void PredictionsInBothFormatsAreTheSame(InferenceMode mode)
    {
        var (network, info) = Skd.Tests.Export.OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 3, width: 4, depth: 2, seed: 8);
        using (network)
        {
            torch.ManualSeed(5);
            using var c = new Skd.Data.LoadedCase
            {
                Files = new Skd.Data.CaseFiles("synthetic", ["synthetic.png"], null, Skd.Data.CaseStorage.Image2D), Image = torch.Rand(1, 2, 45, 38),
            };
            using var contiguous = new Predictor(network, info, new InferenceOptions(mode, Batch: 2, MemoryFormat: MemoryFormat.Contiguous));
            using var channelsLast = new Predictor(network, info, new InferenceOptions(mode, Batch: 2, MemoryFormat: MemoryFormat.ChannelsLast));
            using var want = contiguous.PredictWithProbabilities(c);
            using var got = channelsLast.PredictWithProbabilities(c);
            Assert.Equal(want.Labels.ToArray<long>(), got.Labels.ToArray<long>());
            using var difference = (want.Probabilities! - got.Probabilities!).Abs().Max();
            Assert.True(difference.Item() < 1e-5, $"the probabilities differ by {difference.Item()}");
        }
    }
}
