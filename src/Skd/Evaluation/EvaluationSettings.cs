namespace Skd.Evaluation;

/// <summary>
/// How a model is run over a dataset and scored: inference, metrics and HD95's units (a dataset's
/// own: <see cref="Data.DatasetProtocol.Evaluation"/>).
/// </summary>
public sealed record EvaluationSettings(InferenceOptions Inference, MetricOptions Metrics, MetricSpacing Spacing);
