namespace Skd.Comparison;

/// <summary>What a comparison reports as it goes; every member has an empty default.</summary>
public interface IComparisonObserver
{
    /// <summary>Run <paramref name="index"/> (0-based) of <paramref name="total"/> is about to train or resume; the returned observer sees its training.</summary>
    ITrainingObserver? RunStarting(string label, int index, int total) => null;
    void Evaluating(string label) { }
    /// <summary>A run is done: trained and evaluated now, or found finished (<paramref name="reused"/>).</summary>
    void RunFinished(RunOutcome outcome, bool reused) { }
    void Note(string message) { }
}
