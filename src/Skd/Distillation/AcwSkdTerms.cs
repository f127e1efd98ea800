using Skd.Torch;

namespace Skd.Distillation;

/// <summary>
/// The unweighted terms of one ACW-SKD batch, with their autograd graphs (see <see cref="AcwSkdMethod"/>);
/// a term is null when its part is switched off. <see cref="Temperature"/> is the τ the KD term used:
/// 0-dim, or one value per image.
/// </summary>
public sealed record AcwSkdTerms(
    Tensor Segmentation,
    Tensor? Auxiliary,
    Tensor? SelfTeacher,
    Tensor Kd,
    Tensor? ClassWise,
    Tensor? Relation,
    Tensor? Reconstruction,
    Tensor Temperature);
