namespace Skd.Training;

/// <summary>Means of named values over an epoch's steps, in the order the names first came; a name counts only the steps that gave it.</summary>
internal sealed class RunningMeans
{
    private readonly Dictionary<string, (double Sum, int Count)> sums = new();
    private readonly List<string> order = new();

    public bool IsEmpty => order.Count == 0;

    public void Add(IEnumerable<KeyValuePair<string, double>> values)
    {
        foreach (var (name, value) in values)
        {
            if (!sums.TryGetValue(name, out var s)) order.Add(name);
            sums[name] = (s.Sum + value, s.Count + 1);
        }
    }

    public Dictionary<string, double> Means() => order.ToDictionary(name => name, name => sums[name].Sum / sums[name].Count);
}
