namespace Skd;

/// <summary>
/// A library error about the options of a call, worded by a function of how options are named: the
/// library names each by its own name (<c>'teacher'</c>, <c>'weight_decay'</c>, the JSON names of
/// <see cref="Training.TrainOptions"/>); a front end renders the same message naming its own
/// controls (<c>skd</c>: its flags, <c>--teacher</c>). <see cref="Naming"/> gives any exception type
/// such a message; <see cref="OptionException"/> is the usual one.
/// </summary>
public static class OptionNames
{
    private const string Key = "Skd.OptionNames";

    /// <summary>How the library names an option in its own messages: <c>'name'</c>.</summary>
    public static string Library(string option) => $"'{option}'";

    /// <summary>
    /// An exception made by <paramref name="create"/> with <paramref name="message"/> worded by the
    /// library's names, keeping <paramref name="message"/> for <see cref="MessageOf"/>.
    /// </summary>
    public static TException Naming<TException>(Func<string, TException> create, Func<Func<string, string>, string> message) where TException : Exception
    {
        var exception = create(message(Library));
        Keep(exception, message);
        return exception;
    }

    /// <summary>Keeps <paramref name="message"/> on <paramref name="exception"/> for <see cref="MessageOf"/>.</summary>
    internal static void Keep(Exception exception, Func<Func<string, string>, string> message) => exception.Data[Key] = message;

    /// <summary>The message of <paramref name="e"/> with every option named by <paramref name="name"/> (its own message when it names none).</summary>
    public static string MessageOf(Exception e, Func<string, string> name) =>
        e.Data[Key] is Func<Func<string, string>, string> message ? message(name) : e.Message;
}

/// <summary>A bad option given to a library call; its message names options through <see cref="OptionNames"/>.</summary>
public sealed class OptionException : ArgumentException
{
    /// <param name="message">The message, given how an option is named: <c>o =&gt; $"no dataset: give {o("data")}"</c>.</param>
    public OptionException(Func<Func<string, string>, string> message) : base(message(OptionNames.Library)) => OptionNames.Keep(this, message);
}
