namespace Skd.Folders;

/// <summary>
/// The files of a run folder (what <c>skd train</c> writes), named here and nowhere else:
/// <c>config.json</c> (the resolved training config), <c>log.jsonl</c> (a record per epoch),
/// <c>last.safetensors</c> (the training checkpoint, the whole method's state with the student's
/// tensors under <c>student.</c>), <c>best.safetensors</c> (the student with the best validation
/// Dice, a model file) and <c>curves.png</c>.
/// </summary>
/// <param name="Folder">The run folder.</param>
public sealed record RunLayout(string Folder)
{
    public const string ConfigName = "config.json", LogName = "log.jsonl", LastName = "last.safetensors", BestName = "best.safetensors", CurvesName = "curves.png";

    /// <summary>The name of the student among a method's modules, so the prefix of its keys in a training checkpoint.</summary>
    public const string StudentModule = "student";
    public const string StudentPrefix = StudentModule + ".";

    /// <summary>The model files of a run, the one to deploy first: the best student, else the last checkpoint's.</summary>
    public static readonly IReadOnlyList<string> ModelNames = [BestName, LastName];

    public string Config => Path.Combine(Folder, ConfigName);
    public string Log => Path.Combine(Folder, LogName);
    public string Last => Path.Combine(Folder, LastName);
    public string Best => Path.Combine(Folder, BestName);
    public string Curves => Path.Combine(Folder, CurvesName);
}
