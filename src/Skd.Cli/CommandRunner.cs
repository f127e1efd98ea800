using System.CommandLine;
using Skd.Torch;

namespace Skd.Cli;

/// <summary>
/// Runs a verb's body: applies the global options, and turns the errors a user can cause (bad
/// arguments, bad files, libtorch's complaints) into one clear line on stderr and exit code 1,
/// instead of a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static void SetRunner(this Command command, Func<ParseResult, int> body) =>
        command.SetAction(parse =>
        {
            try
            {
                GlobalOptions.Apply(parse);
                return body(parse);
            }
            catch (Exception e) when (e is ArgumentException or TorchException or IOException or InvalidDataException or InvalidOperationException or FormatException or Skd.Data.DataFormatException)
            {
                Console.Error.WriteLine($"skd {command.Name}: error: {e.Message}");
                return 1;
            }
        });
}
