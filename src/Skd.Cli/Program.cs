namespace Skd.Cli;

/// <summary>The <c>skd</c> command: one verb per job (see <c>skd --help</c>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Terminal.Configure();
        var root = new RootCommand("skd: train, evaluate and compare compact medical image segmentation models by self-knowledge distillation (libtorch from C#).");
        root.Options.Add(GlobalOptions.Threads);
        root.Options.Add(GlobalOptions.MaxPixels);
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(DatasetCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(MethodsCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        FiniteNumbers.Require(root);
        return ParseErrors.Invoke(root, args);
    }
}
