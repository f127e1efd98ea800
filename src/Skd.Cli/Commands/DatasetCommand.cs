namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd dataset DIR [--layout L] [--channels grey|rgb] [--split S] [--check] [--json]</c>: what a dataset
/// folder holds as the toolkit reads it (layout, classes, input channels, cases per split), and with --check every case of
/// the split read and validated, as nnU-Net's --verify_dataset_integrity.
/// </summary>
internal static class DatasetCommand
{
    public static readonly Option<string?> Layout = new("--layout")
    {
        Description = "Dataset layout: paired (images/ + masks/, optional palette.json), suffix (N.ext + N_gt.ext), nnunet (dataset.json + imagesTr/ + labelsTr/), synapse (train_npz/ + test_vol_h5/). Default: detected.",
    };

    public static readonly Option<string?> Channels = ChoiceOption.Optional("--channels", ["grey", "gray", "rgb"],
        "How 2-D images are read: grey (colour images become their luminance) or rgb (grey images are repeated into R, G, B); alpha is dropped. " +
        "Default: as the dataset's first image is stored, every other image stored alike.");

    /// <summary>The --channels value, parsed; null when not given.</summary>
    public static ImageChannels? ChannelsOf(ParseResult parse) => parse.GetValue(Channels) is { } c ? ImageInput.Parse(c) : null;

    public static readonly Option<string> Split = new("--split")
    {
        Description = "Which cases: train, val, test or all. From splits.json when present, else the layout's own split, else the last 25% (by id) is test and 10% of the rest is val.",
        DefaultValueFactory = _ => "all",
    };

    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "The dataset folder." };
        var check = new Option<bool>("--check") { Description = "Read every case of the split and check images, labels and their sizes." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("dataset", "Describe a dataset folder (layout, classes, channels, splits) and optionally check every case.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { Layout, Channels, Split, check, json }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var dataset = SegmentationDataset.Open(parse.GetValue(dir)!, DatasetLayouts.ParseIfGiven(parse.GetValue(Layout)), ChannelsOf(parse));
            var d = dataset.Description;
            var split = dataset.Split(parse.GetValue(Split)!);
            var sizes = new[] { "train", "val", "test" }.ToDictionary(s => s, s => dataset.Split(s).Count);
            int labelled = split.Count(c => c.Label is not null);
            if (parse.GetValue(check)) Check(dataset, split);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    root = d.Root, layout = d.Layout.ToString(), classes = d.ClassNames, channels = dataset.InputChannels,
                    image_channels = dataset.ImageChannels?.Name(), masks = d.Masks.Name,
                    cases = d.Cases.Count, splits = sizes, split = parse.GetValue(Split), selected = split.Select(c => c.Id),
                }, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(d.Root)}[/]: layout {d.Layout}, {d.Cases.Count} cases ({string.Join(", ", sizes.Select(kv => $"{kv.Key} {kv.Value}"))})");
            AnsiConsole.MarkupLine($"classes   {Markup.Escape(string.Join(", ", d.ClassNames.Select((n, i) => $"{i} {n}")))}");
            string reading = dataset.ImageChannels is { } mode ? $" (images read as {mode.Name()}{(parse.GetValue(Channels) is null ? ", as the first is stored" : "")})" : "";
            AnsiConsole.MarkupLine($"channels  {Markup.Escape(string.Join(", ", dataset.InputChannels) + reading)}");
            AnsiConsole.MarkupLine($"masks     {Markup.Escape(d.Masks.Name)}");
            AnsiConsole.MarkupLine($"split '{parse.GetValue(Split)}': {split.Count} cases, {labelled} labelled; first: {Markup.Escape(string.Join(", ", split.Take(5).Select(c => c.Id)))}{(split.Count > 5 ? ", ..." : "")}");
            return 0;
        });
        return command;
    }

    private static void Check(SegmentationDataset dataset, IReadOnlyList<CaseFiles> cases)
    {
        var problems = new List<string>();
        CaseProgress.ForEach("checking cases", cases, c =>
        {
            try
            {
                using var scope = new DisposeScope();
                using var loaded = dataset.Load(c);
            }
            catch (Exception e) when (e is DataFormatException or IOException or TorchException)
            {
                problems.Add(e.Message);
            }
        });
        if (problems.Count > 0)
            throw new InvalidOperationException($"{problems.Count} of {cases.Count} cases failed the check:\n  " + string.Join("\n  ", problems));
        AnsiConsole.MarkupLine($"[green]checked[/] {cases.Count} cases: every image and label reads, sizes match, labels lie in 0..{dataset.ClassCount - 1}");
    }
}
