namespace Skd.Distillation;

/// <summary>
/// A method as the command line sees it: its name, a one-line summary, its options with defaults,
/// whether it needs an external teacher (<c>--teacher</c>), and how to build it.
/// </summary>
public sealed record MethodInfo(string Name, string Summary, IReadOnlyList<MethodOption> Options, bool NeedsTeacher,
    Func<MethodContext, SegmentationMethod> Factory)
{
    /// <summary>Options as given by the user, checked against this method's declared options.</summary>
    public MethodOptions ParseOptions(IReadOnlyDictionary<string, string>? given = null) => new(this, given);

    /// <summary>
    /// Builds the method for a student of shape <paramref name="student"/>, checking its requirements
    /// first (options, teacher) so that nothing trains when something is missing.
    /// </summary>
    public SegmentationMethod Create(UNetConfig student, IReadOnlyDictionary<string, string>? options = null, string? teacherPath = null)
    {
        if (NeedsTeacher && string.IsNullOrEmpty(teacherPath))
            throw OptionNames.Naming(m => new MethodRequirementException(m),
                o => $"method '{Name}' distils from a trained teacher: give {o("teacher")} RUN_FOLDER or MODEL.safetensors (train one with {o("method")} supervised {o("width")} 64)");
        if (!NeedsTeacher && !string.IsNullOrEmpty(teacherPath))
            throw OptionNames.Naming(m => new MethodRequirementException(m), o => $"method '{Name}' is self-distillation and takes no {o("teacher")}");
        return Factory(new MethodContext(this, student.Validate(), ParseOptions(options), teacherPath));
    }
}
