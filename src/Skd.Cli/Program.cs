namespace Skd.Cli;

/// <summary>The <c>skd</c> command: one verb per job (see <c>skd --help</c>).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Terminal.Configure();
        var root = new RootCommand("skd: train, evaluate and compare compact medical image segmentation models by self-knowledge distillation (libtorch from C#).")
        {
            GlobalOptions.Threads, GlobalOptions.MaxPixels,
            // The verbs in the order help lists them: the toolkit, data, networks and methods, scoring, deployment, training.
            VersionCommand.Create(), DemoCommand.Create(),
            InspectCommand.Create(), DatasetCommand.Create(), SynthCommand.Create(),
            InfoCommand.Create(), MethodsCommand.Create(),
            EvalCommand.Create(), MetricsCommand.Create(),
            PredictCommand.Create(), ExportCommand.Create(),
            TrainCommand.Create(), CompareCommand.Create(),
        };
        FiniteNumbers.Require(root);
        return ParseErrors.Invoke(root, args);
    }
}
