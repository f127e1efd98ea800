namespace Skd.Cli.Commands;

/// <summary><c>skd inspect FILE [--json]</c>: shape, dtype, spacing, orientation and statistics of a data file.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "An image (PNG, JPEG, TIFF, BMP, PGM/PPM), a NIfTI volume (.nii, .nii.gz), .npy, .npz, HDF5 or .safetensors file." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("inspect", "Show a data file's shape, dtype, spacing, orientation and min/max/mean.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetRunner(parse =>
        {
            var summary = FileSummary.Of(parse.GetValue(file)!);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }));
                return 0;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(summary.Path)}[/]: {Markup.Escape(summary.Format)}");
            if (summary.Spacing is { } s) AnsiConsole.MarkupLine($"spacing      {string.Join(" × ", s.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))} mm (x, y, z)");
            foreach (var (key, value) in summary.Metadata ?? new Dictionary<string, string>())
                AnsiConsole.MarkupLine($"metadata     {Markup.Escape(key)} = {Markup.Escape(value)}");
            if (summary.Orientation is { } o) AnsiConsole.MarkupLine($"orientation  {o} (voxel axes i, j, k in RAS+)");
            var table = new Table().AddColumns("array", "shape", "dtype", "min", "max", "mean");
            foreach (var a in summary.Arrays)
                table.AddRow(Markup.Escape(a.Name), $"[[{string.Join(", ", a.Shape)}]]", a.DType, G(a.Min), G(a.Max), G(a.Mean));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static string G(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);
}
