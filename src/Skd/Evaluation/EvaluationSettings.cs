using Skd.Inference;
using Skd.Metrics;

namespace Skd.Evaluation;

/// <summary>How a model is run over a dataset and scored: inference, metrics and HD95's units.</summary>
public sealed record EvaluationSettings(InferenceOptions Inference, MetricOptions Metrics, MetricSpacing Spacing)
{
    /// <summary>
    /// TransUNet's Synapse test protocol (test.py → test_single_volume, methods.md §4/§5): every
    /// slice resized to the model's size, argmax, resized back by nearest neighbour; Dice and HD95
    /// (medpy) per organ per volume, background excluded, in voxel units, with TransUNet's
    /// empty-mask rule (<see cref="EmptyMaskPolicy.TransUNet"/>); the tables average over volumes.
    /// </summary>
    public static EvaluationSettings Synapse(int batch) =>
        new(new InferenceOptions(InferenceMode.Resize, Batch: batch), new MetricOptions(EmptyMaskPolicy.TransUNet), MetricSpacing.Voxels);
}
