namespace Skd.Tests.Training;

/// <summary>
/// A method's own SGD parameter group (<see cref="SegmentationMethod.OwnParamGroups"/>, here ACW-SKD's
/// adversarial temperature) trains apart from the run's Adam, is checkpointed under its name and resumes exactly.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class OwnParamGroupRunTests() : TempFolder("skd-groups-")
{
    private TrainConfig Config() => TinyData.Config(TinyData.Vessels(root), epochs: 2) with
    {
        Method = "acw-skd",
        MethodOptions = new Dictionary<string, string> { ["adversarial"] = "on", ["warmup"] = "0", ["lambda-epochs"] = "0", ["tau-lr"] = "0.5" },
    };

    [Fact]
    public void TheTemperatureTrainsWithItsOwnSgdAndResumesExactly()
    {
        var config = Config();
        Assert.Equal("adam", config.Optimizer);
        var straight = TrainingRun.Start(config, Path.Combine(root, "straight"));

        using var last = Safetensors.Load(straight.LastPath);
        var keys = last.Tensors.Keys.ToList();
        // θ's SGD: its momentum buffer and its own rate, scaled by the run's poly schedule (below 0.5 after the first step).
        Assert.Contains("optimizer.groups.temperature.state.0.momentum_buffer", keys);
        double thetaLr = last.Tensors["optimizer.groups.temperature.param_groups.0.lr"].Item();
        Assert.InRange(thetaLr, 1e-6, 0.5 - 1e-9);
        Assert.Equal(last.Tensors["optimizer.param_groups.0.lr"].Item() / config.Lr, thetaLr / 0.5, 9);
        Assert.Equal(5e-4, last.Tensors["optimizer.groups.temperature.param_groups.0.weight_decay"].Item(), 12);
        // Adam holds every trainable parameter but θ.
        long trainable = last.Tensors.Keys.Count(k => !k.StartsWith("optimizer.", StringComparison.Ordinal) && !k.Contains("running_") && !k.Contains("num_batches"));
        Assert.Equal(trainable - 1, keys.Count(k => k.StartsWith("optimizer.state.", StringComparison.Ordinal) && k.EndsWith(".exp_avg", StringComparison.Ordinal)));
        Assert.NotEqual(0.0, last.Tensors["temperature.theta"].Item());

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => TrainingRun.Start(config, Path.Combine(root, "resumed"), new StopAtEpoch(1, cancel), cancel.Token));
        var resumed = TrainingRun.Resume(Path.Combine(root, "resumed"));
        using var actual = Safetensors.Load(resumed.LastPath);
        Assert.Equal(keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in last.Tensors)
            Assert.True(tensor.DType == DType.Int64 ? tensor.ToArray<long>().SequenceEqual(actual.Tensors[name].ToArray<long>())
                : tensor.To(DType.Float64).ToArray<double>().SequenceEqual(actual.Tensors[name].To(DType.Float64).ToArray<double>()), $"{name} differs after resume");
    }

    private sealed class StopAtEpoch(int epoch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void StepCompleted(StepProgress progress)
        {
            if (progress.Epoch == epoch) cancel.Cancel();
        }
    }
}
