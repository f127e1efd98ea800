namespace Skd.Distillation;

/// <summary>
/// Parameters of a method that train with an SGD optimiser of their own instead of the run's
/// optimiser (<see cref="SegmentationMethod.OwnParamGroups"/>): e.g. ACW-SKD's adversarial
/// temperature, trained by SGD with momentum as CTKD trains it whatever the student's optimiser.
/// The run's learning-rate schedule scales <see cref="LearningRate"/> by the same factor as the
/// run's base rate. <see cref="Name"/> keys its optimiser state in checkpoints.
/// </summary>
public sealed record SgdParamGroup(string Name, IReadOnlyList<Tensor> Parameters, double LearningRate, double Momentum, double WeightDecay);
