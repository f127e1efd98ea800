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
    /// Trains <paramref name="config"/> into <paramref name="runDir"/> (created; it must not exist, be
    /// empty, or hold a run that stopped before its first checkpoint, which starts over).
    /// <paramref name="method"/> trains a method that is not one of <see cref="Methods.All"/>; by
    /// default the config names it. The folder is locked (<see cref="FolderLock"/>) while the run writes it.
    /// </summary>
    public static TrainingResult Start(TrainConfig config, string runDir, ITrainingObserver? observer = null, CancellationToken cancel = default,
        MethodInfo? method = null)
    {
        runDir = Path.GetFullPath(runDir);
        RunFolder.CheckStartable(runDir);
        var info = method ?? Methods.Find(config.Method);
        using var trainer = new Trainer(runDir, config, info, observer ?? Silent.Instance);
        using var folderLock = FolderLock.Acquire(runDir);
        RunFolder.CheckStartable(runDir);   // again, now that no other command can change the folder
        RunFolder.ClearUnstarted(runDir);
        RunFolder.WriteConfig(runDir, trainer.Config);
        trainer.SaveInitial();
        return trainer.Run(cancel);
    }

    /// <summary>
    /// Continues the run in <paramref name="runDir"/> from its last.safetensors, with its config.json (from
    /// its first epoch when it stopped before its first checkpoint). The folder is locked while the run writes it.
    /// </summary>
    public static TrainingResult Resume(string runDir, ITrainingObserver? observer = null, CancellationToken cancel = default, MethodInfo? method = null)
    {
        runDir = Path.GetFullPath(runDir);
        if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"{runDir}: no such run folder");
        using var folderLock = FolderLock.Acquire(runDir);
        RunFolder.RemoveTemporaries(runDir);
        string configPath = new RunLayout(runDir).Config;
        if (!File.Exists(configPath))
            throw OptionNames.Naming(m => new FileNotFoundException(m, configPath),
                o => $"{runDir}: no {RunLayout.ConfigName}: the run stopped before saving its settings (or this is not a run folder); start it again with {o("run_dir")} {runDir}");
        var config = TrainConfig.Load(configPath);
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
