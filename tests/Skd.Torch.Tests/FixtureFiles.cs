namespace Skd.Torch.Tests;

/// <summary>Reads the JSON fixtures that the Python scripts in Fixtures/ wrote.</summary>
internal static class FixtureFiles
{
    public static JsonElement Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    /// <summary>A float32 tensor from {"shape": [...], "data": [...]}.</summary>
    public static Tensor Float(JsonElement e) =>
        Tensor.From(e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(), Shape(e));

    public static Tensor Long(JsonElement e) =>
        Tensor.From(e.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape(e));

    public static long[] Shape(JsonElement e) => e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    /// <summary>Asserts |a − b| ≤ atol + rtol·|b| elementwise, reporting the worst element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.To(DType.Float64).ToArray<double>();
        var a = actual.To(DType.Float64).ToArray<double>();
        for (int i = 0; i < e.Length; i++)
        {
            double tol = atol + rtol * Math.Abs(e[i]);
            if (!(Math.Abs(e[i] - a[i]) <= tol))
                Assert.Fail($"{what}: element {i}: expected {e[i]}, got {a[i]} (tolerance {tol})");
        }
    }
}
