namespace Skd.Data;

/// <summary>
/// The one check of the names that come from files (case ids from Synapse lists, dataset.json,
/// file names; the output names made from them): a name is a single, plain path component, so
/// that no case id can lead a reader out of its dataset folder or a writer out of its output
/// folder (<c>../../evil/x</c>, <c>/etc/passwd</c>). And the one check that a dataset layout's
/// cases are what a dataset may hold: distinct ids, every file inside the dataset folder.
/// </summary>
public static class CaseNames
{
    /// <summary>
    /// Refuses <paramref name="name"/> unless it is one plain path component: not empty, not
    /// <c>.</c> or <c>..</c>, without <c>/</c>, <c>\</c> or NUL. <paramref name="source"/> is the file
    /// the name came from, for the message.
    /// </summary>
    public static void CheckPlain(string name, string source)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            throw new DataFormatException($"{source}: case id '{name}' is not a plain file name (no folders, no '..', not absolute): refused");
    }

    /// <summary>
    /// <paramref name="name"/> (checked by <see cref="CheckPlain"/>) inside <paramref name="folder"/>;
    /// the path every reader and writer builds from a name that came from a file.
    /// </summary>
    public static string Inside(string folder, string name, string source)
    {
        CheckPlain(name, source);
        return Path.Combine(folder, name);
    }

    /// <summary>
    /// Checks the cases a layout found in <see cref="DatasetDescription.Root"/>: every id plain and
    /// used once, every image and label file inside the dataset folder.
    /// </summary>
    internal static void CheckCases(DatasetDescription description)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(description.Root)) + Path.DirectorySeparatorChar;
        var seen = new Dictionary<string, CaseFiles>();
        foreach (var c in description.Cases)
        {
            CheckPlain(c.Id, c.Images.FirstOrDefault() ?? description.Root);
            if (!seen.TryAdd(c.Id, c))
                throw new DataFormatException($"{description.Root}: two cases have the id '{c.Id}' ({seen[c.Id].Images[0]} and {c.Images[0]}); rename one of them");
            foreach (var file in c.Images.Append(c.Label).OfType<string>())
                if (!Path.GetFullPath(file).StartsWith(root, StringComparison.Ordinal))
                    throw new DataFormatException($"{file}: case '{c.Id}' names a file outside the dataset folder {description.Root}: refused");
        }
    }
}
