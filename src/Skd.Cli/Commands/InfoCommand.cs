namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd info --model unet [--width W] [--depth D] [--in C] [--classes K] [--size S] [--method M [--option NAME=VALUE ...]] [--json]</c>:
/// parameters and multiply-accumulates of a model for one S×S image, stage by stage, computed from the
/// architecture. With <c>--method</c>, the method's training-only parts (auxiliary heads, reconstruction
/// modules, temperature module, side heads) are listed after the model's and counted in the training
/// total only: the exported model is the plain U-Net above them. <c>skd info --onnx model.onnx [--json]</c> describes
/// an exported file instead (<see cref="OnnxModelSummary"/>).
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = ChoiceOption.DefaultFirst("--model", ["unet"], "The architecture.");
        var width = new Option<int>("--width") { Description = "Channels of the first stage (64: the original U-Net).", DefaultValueFactory = _ => 64 };
        var depth = new Option<int>("--depth") { Description = "Pooling stages; the deepest has width·2^depth channels.", DefaultValueFactory = _ => 4 };
        var inChannels = new Option<int>("--in") { Description = "Input channels.", DefaultValueFactory = _ => 1 };
        var classes = new Option<int>("--classes") { Description = "Output classes, background included.", DefaultValueFactory = _ => 2 };
        var size = new Option<int>("--size") { Description = "Image side in pixels (a multiple of 2^depth).", DefaultValueFactory = _ => 224 };
        var method = new Option<string?>("--method") { Description = "Also list this training method's training-only parts (see skd methods)." };
        var methodOptions = new Option<string[]>("--option") { Description = "An option of --method, name=value (repeatable), as skd train takes it: parts an option adds or widens are counted." };
        var json = new Option<bool>("--json") { Description = "Print the profile as JSON." };
        var onnx = new Option<string?>("--onnx") { Description = "Describe this ONNX file (skd export): inputs, outputs, opset, size on disk, metadata." };
        var command = new Command("info", "Show a model's parameters and multiply-accumulates (MACs) for one image, per stage and in total.");
        Option[] architecture = [model, width, depth, inChannels, classes, size, method, methodOptions];
        foreach (var o in (Option[])[.. architecture, json, onnx]) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            if (parse.GetValue(onnx) is { } file)
            {
                if (architecture.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
                    throw new ArgumentException($"--onnx describes a file; {given.Name} cannot be combined with it");
                OnnxInfoPrinter.Print(OnnxModelSummary.Of(file), parse.GetValue(json));
                return 0;
            }
            var config = new UNetConfig(parse.GetValue(inChannels), parse.GetValue(classes), parse.GetValue(width), parse.GetValue(depth));
            int side = parse.GetValue(size);
            var options = TrainCommand.MethodOptions(null, parse.GetValue(methodOptions) ?? []);
            if (options.Count > 0 && parse.GetValue(method) is null) throw new ArgumentException("--option sets an option of a method: give --method too");
            var profile = Profile(config, side, parse.GetValue(method), options);
            if (parse.GetValue(json)) PrintJson(parse.GetValue(model)!, config, side, profile);
            else PrintTable(parse.GetValue(model)!, config, side, profile);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The U-Net's profile, followed by the method's training-only rows. A method that distils from an
    /// external teacher adds no trainable part; the teacher's own forward pass is not counted here
    /// (<c>skd info --width 64</c> shows it).
    /// </summary>
    private static ModelProfile Profile(UNetConfig config, int size, string? methodName, IReadOnlyDictionary<string, string> options)
    {
        var info = methodName is null ? null : Methods.Find(methodName);
        if (info is { NeedsTeacher: true } && options.Count > 0)
            throw new ArgumentException($"method '{info.Name}' distils from an external teacher and adds no training-only part: its options do not change the profile");
        if (info is null || info.NeedsTeacher)
        {
            using var network = new UNet(config);
            return network.Profile(size);
        }
        using var method = Methods.Create(info.Name, config, options);
        return method.Profile(size);
    }

    private static void PrintJson(string model, UNetConfig config, int size, ModelProfile profile) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model, config.InChannels, config.Classes, config.Width, config.Depth, size,
            profile.Parameters, profile.Macs, profile.TrainingParameters, profile.TrainingMacs,
            Parts = profile.Rows.Select(r => new { r.Name, Output = r.OutputShape, r.Parameters, r.Macs, r.TrainingOnly }),
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));

    private static void PrintTable(string model, UNetConfig config, int size, ModelProfile profile)
    {
        AnsiConsole.MarkupLine($"[bold]{model}[/]: width {config.Width}, depth {config.Depth}, {config.InChannels} input channel(s), " +
                               $"{config.Classes} classes; one {size}×{size} image");
        var table = new Table().AddColumns("part", "output (C×H×W)", "parameters", "MACs");
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        foreach (var r in profile.Rows.Where(r => !r.TrainingOnly)) table.AddRow(Row(r));
        table.AddRow("[bold]total[/]", "", $"[bold]{Human(profile.Parameters)}[/]", $"[bold]{Human(profile.Macs)}[/]");
        if (profile.Rows.Any(r => r.TrainingOnly))
        {
            table.AddEmptyRow().AddRow("[italic]training-only parts[/]");
            foreach (var r in profile.Rows.Where(r => r.TrainingOnly)) table.AddRow(Row(r));
            table.AddRow("[bold]total in training[/]", "", $"[bold]{Human(profile.TrainingParameters)}[/]", $"[bold]{Human(profile.TrainingMacs)}[/]");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{profile.Parameters:N0} parameters, {profile.Macs:N0} MACs " +
                               "(conv and transposed-conv multiply-accumulates; bias, batch norm, activations and pooling count 0)");
    }

    private static string[] Row(ProfileRow r) =>
        [Markup.Escape(r.Name), string.Join("×", r.OutputShape), Human(r.Parameters), Human(r.Macs)];

    private static string Human(long n) => ModelProfile.Human(n);
}
