namespace Skd.Cli.Commands;

/// <summary>The options of the verbs that score label maps (eval, metrics): empty masks, HD95's variant and units.</summary>
internal static class MetricOptionsCli
{
    public static readonly Option<double[]> Spacing = new("--spacing")
    {
        Description = "HD95 in millimetres: alone, with each file's spacing (NIfTI pixdim); or with the numbers given, x y (images) or x y z (volumes). Default: voxel units.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    public static readonly Option<string> Empty = ChoiceOption.DefaultFirst("--empty", ["skip", "transunet"],
        "Empty-mask rule. skip: a class absent from prediction and label is skipped (NaN, left out of the means), HD95 needs both masks; " +
        "transunet: TransUNet's rule, (Dice, HD95) = (1, 0) when only predicted, (0, 0) when the prediction is empty.");

    public static readonly Option<string> Hd95 = ChoiceOption.DefaultFirst("--hd95", ["medpy", "monai"],
        "medpy: 95th percentile of both directions' surface distances pooled (TransUNet); monai: the larger of the two directions' 95th percentiles.");

    public static readonly Option<bool> IncludeBackground = new("--include-background") { Description = "Score class 0 too." };

    public static IEnumerable<Option> All => [Spacing, Empty, Hd95, IncludeBackground];

    public static MetricOptions Metrics(ParseResult parse) => new(
        parse.GetValue(Empty) == "transunet" ? EmptyMaskPolicy.TransUNet : EmptyMaskPolicy.SkipAbsent,
        Hd95: parse.GetValue(Hd95) == "monai" ? Hd95Variant.Monai : Hd95Variant.Medpy,
        IncludeBackground: parse.GetValue(IncludeBackground));

    public static MetricSpacing MetricSpacing(ParseResult parse)
    {
        if (parse.GetResult(Spacing) is null) return Evaluation.MetricSpacing.Voxels;
        var given = parse.GetValue(Spacing) ?? [];
        return given.Length == 0 ? Evaluation.MetricSpacing.Files : Evaluation.MetricSpacing.Of(given);
    }
}
