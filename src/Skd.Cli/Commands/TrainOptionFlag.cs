namespace Skd.Cli.Commands;

/// <summary>
/// A flag of <c>skd train</c> or <c>skd compare</c> that sets one field of <see cref="TrainOptions"/>:
/// the flags given go over the config file's options (<see cref="Over"/>); a flag not given leaves the field as it is.
/// </summary>
internal sealed record TrainOptionFlag(Option Option, Func<ParseResult, TrainOptions, TrainOptions> Apply)
{
    /// <summary>A flag taking a string.</summary>
    public static TrainOptionFlag Text(string name, string description, Func<TrainOptions, string, TrainOptions> set) =>
        Of(new Option<string?>(name) { Description = description }, set);

    /// <summary>A flag taking a number.</summary>
    public static TrainOptionFlag Number<T>(string name, string description, Func<TrainOptions, T, TrainOptions> set) where T : struct
    {
        var option = new Option<T?>(name) { Description = description };
        return new(option, (parse, options) => parse.GetValue(option) is { } value ? set(options, value) : options);
    }

    /// <summary>A flag taking one of an enum's values, by their JSON names (<see cref="TrainOptions.JsonName"/>: as a config file spells them).</summary>
    public static TrainOptionFlag Choice<T>(string name, string description, Func<TrainOptions, T, TrainOptions> set) where T : struct, Enum
    {
        var names = Enum.GetValues<T>().ToDictionary(v => TrainOptions.JsonName(v.ToString()));
        var option = new Option<string?>(name) { Description = description };
        option.AcceptOnlyFromAmong([.. names.Keys]);
        return new(option, (parse, options) => parse.GetValue(option) is { } value ? set(options, names[value]) : options);
    }

    /// <summary>A shared string option (such as <c>--layout</c>) setting a field.</summary>
    public static TrainOptionFlag Of(Option<string?> option, Func<TrainOptions, string, TrainOptions> set) =>
        new(option, (parse, options) => parse.GetValue(option) is { } value ? set(options, value) : options);

    /// <summary>This flag with <paramref name="description"/> as its help (null: its own), for a verb that words it otherwise.</summary>
    public TrainOptionFlag Describe(string? description)
    {
        if (description is not null) Option.Description = description;
        return this;
    }

    /// <summary><paramref name="options"/> with every flag of <paramref name="flags"/> given on the command line over it.</summary>
    public static TrainOptions Over(TrainOptions options, ParseResult parse, IEnumerable<TrainOptionFlag> flags) =>
        flags.Where(f => parse.GetResult(f.Option) is { Implicit: false }).Aggregate(options, (o, f) => f.Apply(parse, o));
}
