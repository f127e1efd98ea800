namespace Skd.Training;

/// <summary>A named training protocol: fields it sets over the task's defaults (given options still override it).</summary>
public sealed record TrainPreset(string Name, string Description, Func<TrainConfig, TrainConfig> Apply);

/// <summary>
/// The training presets a user can ask for (<c>--preset NAME</c>, or <c>"preset"</c> in a config file),
/// applied to the task's defaults before the given options (<see cref="TrainOptions.Resolve"/>).
/// </summary>
public static class TrainPresets
{
    /// <summary>
    /// The public DSKD re-implementation's protocol (methods.md §2, "paper setting" by its comments):
    /// AdamW lr 1e-3, weight decay 1e-5, StepLR(10 epochs, γ 0.3), 50 epochs, batch 4, 256×256.
    /// </summary>
    public static readonly TrainPreset DskdReimplementation = new("dskd-reimpl",
        "the DSKD re-implementation's protocol: AdamW lr 1e-3, weight decay 1e-5, StepLR(10 epochs, 0.3), 50 epochs, batch 4, 256x256",
        c => c with { Optimizer = "adamw", Lr = 1e-3, WeightDecay = 1e-5, Schedule = "step", StepEpochs = 10, StepGamma = 0.3, Epochs = 50, Batch = 4, Size = 256 });

    public static IReadOnlyList<TrainPreset> All { get; } = [DskdReimplementation];

    /// <summary>The preset called <paramref name="name"/>; an unknown name lists the known ones.</summary>
    public static TrainPreset Find(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown training preset '{name}'; the presets: {string.Join(", ", All.Select(p => p.Name))}");
}
