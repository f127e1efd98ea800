using System.Reflection;
using System.Text.RegularExpressions;

namespace Skd.Torch.Tests;

/// <summary>
/// The codes that cross the C ABI have one source, the X-macro lists of native/skd_tables.h: every
/// C# enum marked [NativeTable] has its list's names in its list's order, and every list has one
/// such enum. A code added, removed, renamed or moved on one side only fails here.
/// </summary>
public sealed partial class NativeTableTests
{
    [GeneratedRegex(@"#define\s+(?<table>SKD_\w+)\(X\)(?<body>(?:[^\n]*\\\n)*[^\n]*)")]
    private static partial Regex TableDefinition();

    [GeneratedRegex(@"\bX\((?<name>\w+)\)")]
    private static partial Regex Entry();

    private static Dictionary<string, List<string>> HeaderTables()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Skd.slnx"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("no Skd.slnx above the tests");
        string header = File.ReadAllText(Path.Combine(root, "native", "skd_tables.h"));
        return TableDefinition().Matches(header).ToDictionary(m => m.Groups["table"].Value,
            m => Entry().Matches(m.Groups["body"].Value).Select(e => e.Groups["name"].Value).ToList());
    }

    private static Dictionary<string, Type> CSharpTables() => typeof(Tensor).Assembly.GetTypes()
        .Select(t => (Type: t, Attribute: t.GetCustomAttributes().FirstOrDefault(a => a.GetType().Name == "NativeTableAttribute")))
        .Where(t => t.Attribute is not null)
        .ToDictionary(t => (string)t.Attribute!.GetType().GetProperty("Table")!.GetValue(t.Attribute)!, t => t.Type);

    [Fact]
    public void EveryTableHasOneCSharpEnumAndEveryMarkedEnumATable()
    {
        var header = HeaderTables();
        Assert.True(header.Count >= 12, $"found {header.Count} tables in skd_tables.h");
        Assert.Equal(header.Keys.Order(), CSharpTables().Keys.Order());
    }

    [Fact]
    public void EachCSharpEnumHasItsTablesNamesInItsTablesOrder()
    {
        var header = HeaderTables();
        foreach (var (table, type) in CSharpTables())
        {
            var members = Enum.GetValues(type).Cast<object>().Select(v => (Name: Enum.GetName(type, v)!, Code: Convert.ToInt32(v))).OrderBy(m => m.Code).ToList();
            Assert.Equal(header[table].Select((name, code) => (name, code)), members.Select(m => (m.Name, m.Code)));
        }
    }

    [Fact]
    public void TheShimClassifiesErrorsByKind()
    {
        // One failure per kind the shim reports, each mapped to its exception type with no reading of the message.
        Assert.Throws<TorchShapeException>(() => torch.Zeros(3) + torch.Zeros(4));
        Assert.Throws<TorchIndexException>(() => torch.Zeros(3).Select(0, 5));
        Assert.Throws<TorchDtypeException>(() => Functional.CrossEntropy(torch.Zeros(2, 3), torch.Zeros(2)));
        Assert.Throws<TorchOutOfMemoryException>(() => torch.Empty([1L << 44], DType.Float32));
    }
}
