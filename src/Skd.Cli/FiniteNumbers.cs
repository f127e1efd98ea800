namespace Skd.Cli;

/// <summary>
/// Every floating-point option of every verb must be a finite number: NaN and ±Infinity parse as
/// doubles, but no option (a learning rate, a spacing, a weight) means anything with them, and
/// they would surface later as a serializer's complaint or as NaN results.
/// </summary>
internal static class FiniteNumbers
{
    /// <summary>Adds the check to the floating-point options of <paramref name="command"/> and its subcommands.</summary>
    public static void Require(Command command) => Require(command, new HashSet<Option>());

    /// <summary>Options shared by several verbs (one static instance) get the check once: <paramref name="done"/>.</summary>
    private static void Require(Command command, HashSet<Option> done)
    {
        foreach (var option in command.Options.Where(o => o.ValueType == typeof(double) || o.ValueType == typeof(double?) || o.ValueType == typeof(double[])).Where(done.Add))
            option.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                    if (double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsFinite(v))
                        result.AddError($"{option.Name} must be a finite number, got {token.Value}");
            });
        foreach (var sub in command.Subcommands) Require(sub, done);
    }
}
