namespace Skd.Training;

/// <summary>
/// What is read and written in a run folder (its files named by <see cref="RunLayout"/>): the
/// resolved <see cref="TrainConfig"/>, the <see cref="EpochRecord"/>s of the log, the curves.
/// Every file is replaced atomically (written beside, then renamed).
/// </summary>
public static class RunFolder
{
    private static readonly JsonSerializerOptions LineJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The records of a log.jsonl.</summary>
    public static IReadOnlyList<EpochRecord> ReadLog(string path) =>
        File.ReadLines(path).Select((line, i) => (line, i)).Where(l => l.line.Length > 0)
            .Select(l => JsonFile.Deserialize<EpochRecord>(l.line, $"{path}, line {l.i + 1}", LineJson)).ToList();

    /// <summary>Deletes what a killed command left half-written in a folder (the hidden temporary files of the atomic writes).</summary>
    internal static void RemoveTemporaries(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, AtomicFile.TemporaryPattern))
            File.Delete(file);
    }

    /// <summary>The names of what an output folder holds besides its lock file and the temporaries of interrupted writes.</summary>
    internal static IReadOnlyList<string> Contents(string folder)
    {
        var temporaries = Directory.EnumerateFiles(folder, AtomicFile.TemporaryPattern).ToHashSet();
        return Directory.EnumerateFileSystemEntries(folder).Where(entry => !temporaries.Contains(entry))
            .Select(entry => Path.GetFileName(entry)).Where(name => name != FolderLock.FileName).ToList();
    }

    /// <summary>
    /// Refuses to start a new run in <paramref name="runDir"/> unless it is missing, empty, or holds only
    /// what a run that stopped before its first checkpoint leaves (its config.json, temporaries, the
    /// lock file): such a run starts over. A folder with a checkpoint is a run to resume; other files,
    /// or a config.json that is not a run's settings, are not a run's.
    /// </summary>
    internal static void CheckStartable(string runDir)
    {
        if (File.Exists(runDir)) throw new IOException($"{runDir} is a file, not a run folder");
        if (!Directory.Exists(runDir)) return;
        var entries = Contents(runDir).Where(name => name != RunLayout.ConfigName).ToList();
        if (entries.Contains(RunLayout.LastName)) throw Refused(o => $"{runDir} is not empty: it holds a run; continue it with {o("resume")} {runDir}, or choose another {o("run_dir")}");
        if (entries.Count > 0)
            throw Refused(o => $"{runDir} is not empty and holds no run ({string.Join(", ", entries.Take(5))}{(entries.Count > 5 ? ", ..." : "")}); choose another {o("run_dir")}");
        string config = new RunLayout(runDir).Config;
        if (File.Exists(config) && NotReadable(() => TrainConfig.Load(config)) is { } why)
            throw Refused(o => $"{runDir} holds a {RunLayout.ConfigName} that is not a run's settings ({why}); choose another {o("run_dir")}");
    }

    /// <summary>An output folder that is not this command's to write: an IOException naming the options to change.</summary>
    internal static IOException Refused(Func<Func<string, string>, string> message) => OptionNames.Naming(m => new IOException(m), message);

    /// <summary>
    /// Why <paramref name="read"/> cannot read a settings file (run or comparison), or null when it
    /// can: a settings file skd did not write marks a folder that is not skd's to replace.
    /// </summary>
    internal static string? NotReadable(Action read)
    {
        try
        {
            read();
            return null;
        }
        catch (Exception e) when (e is DataFormatException or ArgumentException)
        {
            return e.Message;
        }
    }

    /// <summary>Clears what a run that stopped before its first checkpoint left, once <see cref="CheckStartable"/> has passed under the folder's lock.</summary>
    internal static void ClearUnstarted(string runDir)
    {
        RemoveTemporaries(runDir);
        File.Delete(new RunLayout(runDir).Config);
    }

    internal static void WriteConfig(string runDir, TrainConfig config) => AtomicFile.WriteText(new RunLayout(runDir).Config, config.ToJson() + "\n");

    internal static void WriteLog(string runDir, IEnumerable<EpochRecord> history) =>
        AtomicFile.WriteText(new RunLayout(runDir).Log, string.Concat(history.Select(r => JsonSerializer.Serialize(r, LineJson) + "\n")));

    /// <summary>
    /// curves.png. Top row: the loss terms and their total per epoch, and the validation Dice per epoch
    /// (the student's, and the self-teacher's when the method has one; epochs without validation have
    /// no point). Bottom row, when the log has them: each term's weight per epoch with the reported
    /// scalars (τ), and, for each watched feature tensor, log10 of each term's gradient norm there.
    /// </summary>
    internal static void WriteCurves(string runDir, IReadOnlyList<EpochRecord> history)
    {
        var epochs = history.Select(r => (double)r.Epoch).ToList();
        var losses = Series(history, r => r.Loss).Append(new LineSeries("total", history.Select(r => r.Total).ToList())).ToList();
        var dice = new List<LineSeries> { new("student", history.Select(r => r.ValDice ?? double.NaN).ToList()) };
        if (history.Any(r => r.SelfTeacherValDice is not null))
            dice.Add(new LineSeries("self-teacher", history.Select(r => r.SelfTeacherValDice ?? double.NaN).ToList()));
        var image = Charts.Line("training loss", "epoch", "loss", epochs, losses)
            .Beside(Charts.Line("validation (mean foreground Dice)", "epoch", "Dice", epochs, dice, yLimits: (0, 1)));

        var diagnostics = new List<Chart>();
        var weights = Series(history, r => r.Weights).Concat(Series(history, r => r.Scalars)).ToList();
        if (weights.Count > 0) diagnostics.Add(Charts.Line("term weights and scalars", "epoch", "weight, τ", epochs, weights));
        foreach (var feature in history.SelectMany(r => r.GradNorms?.Keys ?? []).Distinct())
        {
            var norms = Series(history, r => r.GradNorms?.GetValueOrDefault(feature), Math.Log10).ToList();
            diagnostics.Add(Charts.Line($"gradient norm at {feature}", "epoch", "log10 ‖∂(w·L)/∂X‖", epochs, norms));
        }
        if (diagnostics.Count > 0) image = image.Above(diagnostics.Aggregate((left, right) => left.Beside(right)));
        image.Save(new RunLayout(runDir).Curves);
    }

    /// <summary>A line per name found in any record's values (NaN where a record lacks it), the values passed through <paramref name="transform"/>.</summary>
    private static IEnumerable<LineSeries> Series(IReadOnlyList<EpochRecord> history, Func<EpochRecord, IReadOnlyDictionary<string, double>?> values,
        Func<double, double>? transform = null) =>
        history.SelectMany(r => values(r)?.Keys ?? []).Distinct().Select(name => new LineSeries(name,
            history.Select(r => values(r) is { } v && v.TryGetValue(name, out var x) ? (transform ?? (y => y))(x) : double.NaN).ToList()));
}
