using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Skd.Comparison;

/// <summary>
/// What <c>skd compare</c> runs: every method at the student width for every seed on one dataset,
/// plus, when an offline method needs one, a teacher of <see cref="TeacherWidth"/> trained once
/// (method <c>supervised</c>, seed 0), trained too when <see cref="Reference"/> asks for the full-width
/// U-Net as the upper reference. <see cref="Training"/> holds training options shared by every
/// run (epochs, size, batch, lr, ...), over the task's defaults;
/// <see cref="MethodOptions"/> holds each method's own options. Kept as <c>compare.json</c> in the
/// output folder, so that an interrupted comparison resumes with the same settings.
/// </summary>
public sealed record CompareConfig
{
    public const string Baseline = "supervised";

    public required string Data { get; init; }
    public string? Layout { get; init; }
    /// <summary>How 2-D images are read, grey or rgb (<see cref="Skd.Data.ImageInput"/>); null: as the first is stored. Left out of compare.json when null, so comparisons begun before it resume.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Channels { get; init; }
    public required IReadOnlyList<string> Methods { get; init; }
    public int Seeds { get; init; } = 3;
    public int Width { get; init; } = 16;
    public int TeacherWidth { get; init; } = 64;
    /// <summary>Trains the plain U-Net of <see cref="TeacherWidth"/> (seed 0) even when no method needs a teacher, and reports it as the upper reference. Left out of compare.json when false, so comparisons begun before it resume.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Reference { get; init; }
    /// <summary>Training options of every run; those the comparison sets per run (<see cref="PerRun"/>) may not be given.</summary>
    [JsonConverter(typeof(TrainOptionsConverter))]
    public TrainOptions Training { get; init; } = new();
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> MethodOptions { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Whether any method distils from an external teacher (which is then trained first).</summary>
    public bool NeedsTeacher => Methods.Any(m => Distillation.Methods.Find(m).NeedsTeacher);

    /// <summary>Whether the plain U-Net of <see cref="TeacherWidth"/> is trained: as a teacher or as the upper reference.</summary>
    [JsonIgnore]
    public bool TrainsFullWidth => NeedsTeacher || Reference;

    /// <summary>
    /// Checks names and counts, puts <see cref="Baseline"/> first (added when missing: every other
    /// method is tested against it) and orders the method options by name.
    /// </summary>
    public CompareConfig Validate()
    {
        var names = Methods.Select(m => Distillation.Methods.Find(m).Name).Distinct().ToList();
        if (Seeds < 1) throw new OptionException(o => $"{o("seeds")} must be at least 1, got {Seeds}");
        if (Width < 1 || TeacherWidth < 1) throw new OptionException(o => $"widths must be at least 1, got {o("width")} {Width}, {o("teacher_width")} {TeacherWidth}");
        foreach (var (method, options) in MethodOptions)
        {
            if (!names.Contains(Distillation.Methods.Find(method).Name))
                throw new ArgumentException($"options are given for method '{method}', which is not among the compared methods ({string.Join(", ", names)})");
            Distillation.Methods.Find(method).ParseOptions(options);
        }
        if (Channels is not null) Skd.Data.ImageInput.Parse(Channels);
        foreach (var (name, given) in PerRun)
            if (given(Training))
                throw new ArgumentException($"training option '{TrainOptions.JsonName(name)}' is set by the comparison itself, per run; remove it from the shared training options");
        return this with
        {
            Methods = [Baseline, .. names.Where(n => n != Baseline)],
            // Sorted, so that the same options given in another order are the same settings when a comparison resumes.
            MethodOptions = MethodOptions.OrderBy(kv => Distillation.Methods.Find(kv.Key).Name, StringComparer.Ordinal).ToDictionary(
                kv => Distillation.Methods.Find(kv.Key).Name,
                kv => (IReadOnlyDictionary<string, string>)new SortedDictionary<string, string>(kv.Value.ToDictionary(), StringComparer.Ordinal)),
        };
    }

    /// <summary>The training options the comparison sets for each run itself, and whether the shared options give one.</summary>
    public static readonly IReadOnlyList<(string Name, Func<TrainOptions, bool> Given)> PerRun =
    [
        (nameof(TrainOptions.Data), o => o.Data is not null), (nameof(TrainOptions.Layout), o => o.Layout is not null),
        (nameof(TrainOptions.Channels), o => o.Channels is not null), (nameof(TrainOptions.Method), o => o.Method is not null),
        (nameof(TrainOptions.MethodOptions), o => o.MethodOptions is not null), (nameof(TrainOptions.Width), o => o.Width is not null),
        (nameof(TrainOptions.Seed), o => o.Seed is not null), (nameof(TrainOptions.Teacher), o => o.Teacher is not null),
    ];

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CompareConfig Parse(string path, string json)
    {
        return JsonFile.Deserialize<CompareConfig>(json, path, Json);
    }

    /// <summary><see cref="Training"/> in its own JSON form (<see cref="TrainOptions.FromJson"/>): only the options given, enums by name.</summary>
    private sealed class TrainOptionsConverter : JsonConverter<TrainOptions>
    {
        public override TrainOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TrainOptions.FromJson(JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("the training options are not an object"), "the comparison's training options");

        public override void Write(Utf8JsonWriter writer, TrainOptions value, JsonSerializerOptions options) =>
            JsonSerializer.SerializeToNode(value, TrainOptions.Json)!.WriteTo(writer, options);
    }
}
