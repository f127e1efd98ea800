namespace Skd.Cli.Commands;

/// <summary>Prints an <see cref="OnnxModelSummary"/> for <c>skd info --onnx</c>, as text or JSON.</summary>
internal static class OnnxInfoPrinter
{
    public static void Print(OnnxModelSummary s, bool json)
    {
        if (json) PrintJson(s);
        else PrintText(s);
    }

    private static void PrintText(OnnxModelSummary s)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(s.Path)}[/]: {s.Bytes:N0} bytes ({ModelProfile.Human(s.Bytes)}B), ONNX IR {s.IrVersion}, " +
                               $"opset {Markup.Escape(string.Join(", ", s.Opsets.Select(o => $"{o.Domain} {o.Version}")))}, produced by {Markup.Escape(s.Producer)}, {s.Precision}");
        foreach (var input in s.Inputs) AnsiConsole.MarkupLine($"input   {Markup.Escape(input.ToString())}");
        foreach (var output in s.Outputs) AnsiConsole.MarkupLine($"output  {Markup.Escape(output.ToString())}");
        AnsiConsole.MarkupLine($"{s.Parameters:N0} parameters; nodes: {Markup.Escape(string.Join(", ", s.Operators.Select(o => $"{o.Operator} {o.Count}")))}");
        var table = new Table().AddColumns("metadata", "value");
        // The full description is the JSON the other keys repeat one by one.
        foreach (var (key, value) in s.Metadata.Where(m => m.Key != ModelFile.MetadataKey)) table.AddRow(Markup.Escape(key), Markup.Escape(value));
        AnsiConsole.Write(table);
    }

    private static void PrintJson(OnnxModelSummary s) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            path = s.Path, bytes = s.Bytes, ir_version = s.IrVersion,
            opsets = s.Opsets.Select(o => new { domain = o.Domain, version = o.Version }), producer = s.Producer, precision = s.Precision,
            inputs = s.Inputs.Select(Value), outputs = s.Outputs.Select(Value),
            operators = s.Operators.ToDictionary(o => o.Operator, o => o.Count), parameters = s.Parameters,
            metadata = s.Metadata.ToDictionary(m => m.Key, m => m.Value),
        }, new JsonSerializerOptions { WriteIndented = true }));

    private static object Value(OnnxValueSummary v) => new { name = v.Name, element_type = v.ElementType, dimensions = v.Dimensions };
}
