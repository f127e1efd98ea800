namespace Skd.Training;

/// <summary>The kind of segmentation a dataset asks for; it picks the training defaults (<see cref="TrainConfig.Defaults"/>).</summary>
public enum TrainingTask
{
    /// <summary>Several organs (Synapse, FLARE2022, M2caiSeg): TransUNet's Synapse protocol.</summary>
    Multiclass,
    /// <summary>Foreground against background (XCAD, DCA1 vessels): a dataset with 2 classes.</summary>
    Binary,
}
