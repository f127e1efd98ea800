namespace Skd.Training;

/// <summary>
/// A run's last.safetensors: the method's whole state dict (the student under <c>student.</c>, the
/// method's extra parts and snapshots under their names), the optimiser's state under
/// <c>optimizer.</c>, and in the metadata the student's <see cref="ModelInfo"/> (under
/// <see cref="ModelFile.MetadataKey"/>, so <see cref="ModelFile.Load"/> reads the student from it)
/// and the <see cref="TrainingState"/>. Written atomically by <see cref="SafetensorsFile.Save"/>.
/// </summary>
internal static class Checkpoint
{
    public const string OptimizerPrefix = "optimizer.";

    public static void Save(string path, SegmentationMethod method, RunOptimizer optimizer, ModelInfo info, TrainingState state)
    {
        using var scope = new DisposeScope();
        var tensors = method.StateDict().Concat(optimizer.StateDict().Select(kv => new KeyValuePair<string, Tensor>(OptimizerPrefix + kv.Key, kv.Value)));
        SafetensorsFile.Save(path, tensors, new Dictionary<string, string>
        {
            [ModelFile.MetadataKey] = System.Text.Json.JsonSerializer.Serialize(info, ModelInfo.Json),
            [TrainingState.MetadataKey] = state.ToJson(),
        });
    }

    /// <summary>Restores the method's and the optimiser's state from <paramref name="path"/> and returns the training state.</summary>
    public static TrainingState Load(string path, SegmentationMethod method, RunOptimizer optimizer)
    {
        using var contents = Safetensors.Load(path);
        if (!contents.Metadata.TryGetValue(TrainingState.MetadataKey, out var json))
            throw new InvalidDataException($"{path}: not a training checkpoint (no \"{TrainingState.MetadataKey}\" metadata; a model file cannot be resumed)");
        var state = TrainingState.Parse(path, json);
        var optimizerState = contents.Tensors.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value);
        var methodState = contents.Tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        try
        {
            method.LoadStateDict(methodState);
            optimizer.LoadStateDict(optimizerState);
        }
        catch (Exception e) when (e is TorchShapeException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: the checkpoint does not fit the run's {RunLayout.ConfigName} ({e.Message})");
        }
        return state;
    }
}
