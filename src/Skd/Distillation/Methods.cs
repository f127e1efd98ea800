using Skd.Models;

namespace Skd.Distillation;

/// <summary>Every training method, by the name <c>--method</c> takes (methods.md §1–3).</summary>
public static class Methods
{
    public static IReadOnlyList<MethodInfo> All { get; } =
    [
        SupervisedMethod.Info,
        AcwSkdMethod.Info,
        DskdMethod.Info,
        KdMethod.Info,
        CwdMethod.Info,
        AtMethod.Info,
        IfvdMethod.Info,
        DeepSupervisionMethod.Info,
        ByotMethod.Info,
        PsKdMethod.Info,
    ];

    public static MethodInfo Find(string name) =>
        All.FirstOrDefault(m => m.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown method '{name}'; methods: {string.Join(", ", All.Select(m => m.Name))}");

    /// <summary>
    /// Builds method <paramref name="name"/> for a student of shape <paramref name="student"/>, checking
    /// its requirements first (options, teacher) so that nothing trains when something is missing.
    /// </summary>
    public static SegmentationMethod Create(string name, UNetConfig student, IReadOnlyDictionary<string, string>? options = null, string? teacherPath = null)
    {
        var info = Find(name);
        if (info.NeedsTeacher && string.IsNullOrEmpty(teacherPath))
            throw new MethodRequirementException($"method '{info.Name}' distils from a trained teacher: give --teacher RUN_FOLDER or MODEL.safetensors (train one with --method supervised --width 64)");
        if (!info.NeedsTeacher && !string.IsNullOrEmpty(teacherPath))
            throw new MethodRequirementException($"method '{info.Name}' is self-distillation and takes no --teacher");
        return info.Factory(new MethodContext(info, student.Validate(), info.ParseOptions(options), teacherPath));
    }
}
