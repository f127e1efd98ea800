using System.Text.Json;
using Skd.Data;
using Skd.Reporting;
using Skd.Torch;

namespace Skd.Training;

/// <summary>
/// The files of a run folder: config.json (the resolved <see cref="TrainConfig"/>), log.jsonl (an
/// <see cref="EpochRecord"/> per line), last.safetensors (the training checkpoint), best.safetensors
/// (the student with the best validation Dice, a <see cref="Models.ModelFile"/>) and curves.png.
/// Every file is replaced atomically (written beside, then renamed).
/// </summary>
public static class RunFolder
{
    public const string Config = "config.json", Log = "log.jsonl", Last = "last.safetensors", Best = "best.safetensors", Curves = "curves.png";

    private static readonly JsonSerializerOptions LineJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The records of a log.jsonl.</summary>
    public static IReadOnlyList<EpochRecord> ReadLog(string path) =>
        File.ReadLines(path).Select((line, i) => (line, i)).Where(l => l.line.Length > 0)
            .Select(l => JsonFile.Deserialize<EpochRecord>(l.line, $"{path}, line {l.i + 1}", LineJson)).ToList();

    /// <summary>Deletes what a killed run left half-written (the hidden temporary files of the atomic writes).</summary>
    internal static void RemoveTemporaries(string runDir)
    {
        foreach (var file in Directory.EnumerateFiles(runDir, AtomicFile.TemporaryPattern))
            File.Delete(file);
    }

    internal static void WriteConfig(string runDir, TrainConfig config) => AtomicFile.WriteText(Path.Combine(runDir, Config), config.ToJson() + "\n");

    internal static void WriteLog(string runDir, IEnumerable<EpochRecord> history) =>
        AtomicFile.WriteText(Path.Combine(runDir, Log), string.Concat(history.Select(r => JsonSerializer.Serialize(r, LineJson) + "\n")));

    /// <summary>
    /// curves.png: the loss terms and their total per epoch (left) and the validation Dice per epoch
    /// (right; epochs without validation have no point).
    /// </summary>
    internal static void WriteCurves(string runDir, IReadOnlyList<EpochRecord> history)
    {
        var epochs = history.Select(r => (double)r.Epoch).ToList();
        var terms = history.SelectMany(r => r.Loss.Keys).Distinct().ToList();
        var losses = terms.Select(t => new LineSeries(t, history.Select(r => r.Loss.GetValueOrDefault(t, double.NaN)).ToList()))
            .Append(new LineSeries("total", history.Select(r => r.Total).ToList())).ToList();
        var dice = new LineSeries("validation Dice", history.Select(r => r.ValDice ?? double.NaN).ToList());
        var image = Charts.Line("training loss", "epoch", "loss", epochs, losses)
            .Beside(Charts.Line("validation (mean foreground Dice)", "epoch", "Dice", epochs, [dice]), Rgb.White);
        AtomicFile.WriteVia(Path.Combine(runDir, Curves), image.Save);
    }
}
