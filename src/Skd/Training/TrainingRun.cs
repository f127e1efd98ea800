using Skd.Distillation;

namespace Skd.Training;

/// <summary>
/// Training as a library call: <see cref="Start"/> a run in a new folder, or <see cref="Resume"/>
/// one from its last checkpoint; both train to the config's last epoch and return the result.
/// Progress goes to an optional <see cref="ITrainingObserver"/>; a <see cref="CancellationToken"/>
/// stops a run between steps (OperationCanceledException), leaving the last epoch's checkpoint
/// to resume from.
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// Trains <paramref name="config"/> into <paramref name="runDir"/> (created; it must not exist or
    /// be empty). <paramref name="method"/> trains a method that is not one of
    /// <see cref="Methods.All"/>; by default the config names it.
    /// </summary>
    public static TrainingResult Start(TrainConfig config, string runDir, ITrainingObserver? observer = null, CancellationToken cancel = default,
        MethodInfo? method = null)
    {
        runDir = Path.GetFullPath(runDir);
        if (File.Exists(runDir)) throw new IOException($"{runDir} is a file, not a run folder");
        if (Directory.Exists(runDir) && Directory.EnumerateFileSystemEntries(runDir).Any())
            throw new IOException($"{runDir} is not empty: continue its run with --resume {runDir}, or choose another --out");
        var info = method ?? Methods.Find(config.Method);
        using var trainer = new Trainer(runDir, config, info, observer ?? Silent.Instance);
        Directory.CreateDirectory(runDir);
        RunFolder.WriteConfig(runDir, trainer.Config);
        trainer.SaveInitial();
        return trainer.Run(cancel);
    }

    /// <summary>Continues the run in <paramref name="runDir"/> from its last.safetensors, with its config.json.</summary>
    public static TrainingResult Resume(string runDir, ITrainingObserver? observer = null, CancellationToken cancel = default, MethodInfo? method = null)
    {
        runDir = Path.GetFullPath(runDir);
        if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"{runDir}: no such run folder");
        var config = TrainConfig.Load(Path.Combine(runDir, RunFolder.Config));
        var info = method ?? Methods.Find(config.Method);
        using var trainer = new Trainer(runDir, config, info, observer ?? Silent.Instance);
        trainer.RestoreLast();
        return trainer.Run(cancel);
    }

    private sealed class Silent : ITrainingObserver
    {
        public static readonly Silent Instance = new();
    }
}
