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
}
