namespace Skd.Tests.Distillation;

/// <summary>Reads Fixtures/acw_skd_reference.json (written by Fixtures/make_acw_skd_fixtures.py) and builds the tiny ACW-SKD students the tests share.</summary>
internal static class AcwSkdFixture
{
    public static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "acw_skd_reference.json"))).RootElement;

    /// <summary>The student of every test: 1 input channel, 3 classes, width 4, depth 2.</summary>
    public static readonly UNetConfig Tiny = new(InChannels: 1, Classes: 3, Width: 4, Depth: 2);

    public static AcwSkdMethod Create(Dictionary<string, string>? options = null, UNetConfig? student = null) =>
        (AcwSkdMethod)Methods.Create("acw-skd", student ?? Tiny, options);

    public static Tensor Double(JsonElement e) => Tensor.From(
        e.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray(), Shape(e));

    public static Tensor Long(JsonElement e) => Tensor.From(
        e.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape(e));

    public static Dictionary<string, string> Options(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>A state dict from the fixture: float64 tensors, int64 for batch-norm counters.</summary>
    public static Dictionary<string, Tensor> State(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("int").GetBoolean() ? Long(p.Value) : Double(p.Value));

    public static TrainingStep Step(JsonElement e) => new(e.GetProperty("epoch").GetInt32(), e.GetProperty("epochs").GetInt32(),
        e.GetProperty("step").GetInt32(), e.GetProperty("steps_per_epoch").GetInt32());

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.Shape, b.Shape);
        using var scope = new DisposeScope();
        return (a - b).Abs().Max().Item();
    }

    private static long[] Shape(JsonElement e) => e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
