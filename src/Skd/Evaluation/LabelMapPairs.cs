namespace Skd.Evaluation;

/// <summary>A prediction file and the label file it is scored against, named by the label's file stem.</summary>
public sealed record LabelMapPair(string Id, string Prediction, string Label);

/// <summary>
/// Pairs prediction and label files for <c>skd metrics</c>: two files are one pair; two folders
/// pair their label maps (images, NIfTI volumes) by file name without extension when every name
/// has a partner, else, when no name matches at all and the counts agree, by natural order
/// (1.png with 1_gt.png, ...). Anything else is an error that names the files without a partner.
/// </summary>
public static class LabelMapPairs
{
    public static IReadOnlyList<LabelMapPair> Match(string predictions, string labels)
    {
        bool predFolder = Directory.Exists(predictions), labelFolder = Directory.Exists(labels);
        foreach (var p in new[] { predictions, labels })
            if (!Directory.Exists(p) && !File.Exists(p)) throw new FileNotFoundException($"{p}: no such file or folder", p);
        if (!predFolder && !labelFolder) return [new LabelMapPair(InputFile.Stem(labels), predictions, labels)];
        if (predFolder != labelFolder)
            throw new ArgumentException($"{(predFolder ? predictions : labels)} is a folder but {(predFolder ? labels : predictions)} is a file: give two files or two folders");
        var pred = Files(predictions);
        var label = Files(labels);
        var predByStem = pred.ToDictionary(InputFile.Stem);
        var labelByStem = label.ToDictionary(InputFile.Stem);
        var predOnly = predByStem.Keys.Except(labelByStem.Keys).ToList();
        var labelOnly = labelByStem.Keys.Except(predByStem.Keys).ToList();
        if (predOnly.Count == 0 && labelOnly.Count == 0)
            return label.Select(l => new LabelMapPair(InputFile.Stem(l), predByStem[InputFile.Stem(l)], l)).ToList();
        bool noneMatch = predOnly.Count == pred.Count;
        if (noneMatch && pred.Count == label.Count)
            return pred.Zip(label, (p, l) => new LabelMapPair(InputFile.Stem(l), p, l)).ToList();
        throw new ArgumentException(
            $"the prediction and label files do not pair up ({pred.Count} in {predictions}, {label.Count} in {labels}): " +
            (noneMatch ? "no file name matches and the counts differ" :
                string.Join("; ", new[] { ("predictions without a label", predOnly), ("labels without a prediction", labelOnly) }
                    .Where(x => x.Item2.Count > 0).Select(x => $"{x.Item1}: {Names(x.Item2)}"))));
    }

    private static List<string> Files(string folder)
    {
        var files = Directory.EnumerateFiles(folder).Where(LabelMapFile.IsLabelMap).OrderBy(f => Path.GetFileName(f), NaturalOrder.Instance).ToList();
        if (files.Count == 0) throw new DataFormatException($"{folder}: no label maps (images or NIfTI volumes) in the folder");
        if (files.GroupBy(InputFile.Stem).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new DataFormatException($"{folder}: {string.Join(" and ", clash.Select(Path.GetFileName))} have the same name: keep one label map per case");
        return files;
    }

    private static string Names(List<string> stems) =>
        string.Join(", ", stems.Order(NaturalOrder.Instance).Take(6)) + (stems.Count > 6 ? $", ... ({stems.Count} in all)" : "");
}
