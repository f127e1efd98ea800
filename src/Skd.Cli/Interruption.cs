namespace Skd.Cli;

/// <summary>
/// Ctrl+C as a request to stop a long job between steps (the job keeps what it saved and can be
/// resumed) instead of killing the process: runs <c>job</c> with a token that Ctrl+C cancels; on
/// cancellation prints <c>howToResume</c> on stderr and returns 130, the shell's code for SIGINT.
/// </summary>
internal static class Interruption
{
    public static int Run(Func<CancellationToken, int> job, string howToResume)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += stop;
        try
        {
            return job(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(howToResume);
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= stop;
        }
    }
}
