namespace Skd.Training;

/// <summary>
/// Where a run stands after <see cref="EpochsDone"/> epochs, stored with the weights in
/// last.safetensors (metadata key <see cref="MetadataKey"/>): the best validation score and its
/// epoch, the seed, and every epoch's record (from which log.jsonl and curves.png are rewritten
/// on resume, so they always match the checkpoint).
/// </summary>
public sealed record TrainingState
{
    public const string MetadataKey = "skd_training";

    public int EpochsDone { get; init; }
    public double? BestScore { get; init; }
    public int BestEpoch { get; init; }
    public int Seed { get; init; }
    public double ElapsedSeconds { get; init; }
    public IReadOnlyList<EpochRecord> History { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static TrainingState Parse(string path, string json)
    {
        return JsonFile.Deserialize<TrainingState>(json, $"{path}: the training state in its metadata", Options);
    }

    internal static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
