namespace Skd.Training;

/// <summary>
/// A finished run: its folder and files, the best validation score (mean foreground Dice; null
/// without validation) and the epoch that reached it, the epochs done and the wall time of this
/// session (since start or resume).
/// </summary>
public sealed record TrainingResult(string RunDir, double? BestScore, int BestEpoch, int Epochs, TimeSpan WallTime)
{
    public string ConfigPath => Path.Combine(RunDir, RunFolder.Config);
    public string LogPath => Path.Combine(RunDir, RunFolder.Log);
    public string LastPath => Path.Combine(RunDir, RunFolder.Last);
    public string BestPath => Path.Combine(RunDir, RunFolder.Best);
    public string CurvesPath => Path.Combine(RunDir, RunFolder.Curves);
}
