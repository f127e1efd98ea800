namespace Skd.Training;

/// <summary>
/// A finished run: its folder and files, the best validation score (mean foreground Dice; null
/// without validation) and the epoch that reached it, the epochs done and the wall time of this
/// session (since start or resume).
/// </summary>
public sealed record TrainingResult(string RunDir, double? BestScore, int BestEpoch, int Epochs, TimeSpan WallTime)
{
    public RunLayout Layout => new(RunDir);
    public string ConfigPath => Layout.Config;
    public string LogPath => Layout.Log;
    public string LastPath => Layout.Last;
    public string BestPath => Layout.Best;
    public string CurvesPath => Layout.Curves;
}
