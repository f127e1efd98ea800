namespace Skd.Distillation;

/// <summary>
/// The unweighted terms of one ACW-SKD batch, with their autograd graphs (see <see cref="AcwSkdMethod"/>);
/// a term is null when its part is switched off or was not computed (a distillation term at weight 0;
/// <see cref="Feature"/> also when feature-weight is 0).
/// <see cref="Temperature"/> is the τ the KD term used: 0-dim, or one value per image; null without KD.
/// <see cref="Features"/> is the student's F and <see cref="AuxiliaryFeatures"/> the auxiliary head's
/// input when it is not F (aux-stage=previous), both inside the terms' graph (for gradient norms).
/// </summary>
public sealed record AcwSkdTerms(
    Tensor Segmentation,
    Tensor? Auxiliary,
    Tensor? SelfTeacher,
    Tensor? Kd,
    Tensor? ClassWise,
    Tensor? Relation,
    Tensor? Feature,
    Tensor? Temperature,
    Tensor Features,
    Tensor? AuxiliaryFeatures);
