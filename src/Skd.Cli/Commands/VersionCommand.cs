using System.Reflection;

namespace Skd.Cli.Commands;

/// <summary><c>skd version</c>: the toolkit, libtorch, devices, threads and BLAS in use.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the same facts as one JSON object." };
        var command = new Command("version", "Show the toolkit and libtorch versions, the devices, the thread count and the BLAS library in use.");
        command.Options.Add(json);
        command.SetRunner(parse =>
        {
            var facts = Facts();
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(facts, new JsonSerializerOptions { WriteIndented = true }));
            else
                foreach (var (key, value) in facts)
                    AnsiConsole.MarkupLine($"[bold]{key,-9}[/] {Markup.Escape(value)}");
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> Facts()
    {
        string toolkit = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        int plus = toolkit.IndexOf('+');
        return new Dictionary<string, string>
        {
            ["skd"] = plus > 0 ? toolkit[..plus] : toolkit,
            ["libtorch"] = torch.Version,
            ["devices"] = string.Join(", ", torch.Devices) + (torch.CudaIsAvailable ? "" : " (CUDA not available)"),
            ["threads"] = torch.NumThreads.ToString(),
            ["blas"] = torch.BlasLibrary,
            ["dotnet"] = Environment.Version.ToString(),
        };
    }
}
