namespace Skd.Distillation;

/// <summary>Every training method, by the name <c>--method</c> takes (methods.md §1–3).</summary>
public static class Methods
{
    public static IReadOnlyList<MethodInfo> All { get; } =
    [
        SupervisedMethod.Info,
        AcwSkdMethod.Info,
        DskdMethod.Info,
        LogitDistillationMethod.Kd,
        LogitDistillationMethod.Cwd,
        AtMethod.Info,
        IfvdMethod.Info,
        DeepSupervisionMethod.Info,
        ByotMethod.Info,
        PsKdMethod.Info,
    ];

    public static MethodInfo Find(string name) =>
        All.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown method '{name}'; methods: {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>Builds method <paramref name="name"/> (see <see cref="MethodInfo.Create"/>).</summary>
    public static SegmentationMethod Create(string name, UNetConfig student, IReadOnlyDictionary<string, string>? options = null, string? teacherPath = null) =>
        Find(name).Create(student, options, teacherPath);
}
