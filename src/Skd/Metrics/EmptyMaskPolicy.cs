namespace Skd.Metrics;

/// <summary>
/// What a class that is empty in the prediction or in the label scores (methods.md §4).
/// </summary>
public enum EmptyMaskPolicy
{
    /// <summary>
    /// The default. A class absent from both prediction and label is skipped: every metric is NaN,
    /// so NaN-aware means leave it out. Otherwise the formulas apply as written, NaN where a
    /// denominator is 0: a class only predicted scores Dice = IoU = 0 and Sen = NaN; a class only
    /// in the label scores Dice = IoU = Sen = 0. HD95 needs both masks (medpy raises on an empty
    /// one) and is NaN unless both are non-empty.
    /// Close to MONAI's <c>ignore_empty=True</c>, which however also gives NaN (not 0) to a class
    /// that is only predicted: MONAI's DiceHelper returns NaN whenever the label is empty.
    /// </summary>
    SkipAbsent,

    /// <summary>
    /// The Synapse protocol of TransUNet (test_single_volume → calculate_metric_percase, per organ
    /// per volume), exactly:
    /// <code>
    /// if pred.sum() &gt; 0 and gt.sum() &gt; 0:  return dc(pred, gt), hd95(pred, gt)   # medpy
    /// elif pred.sum() &gt; 0 and gt.sum() == 0: return 1, 0
    /// else:                                  return 0, 0
    /// </code>
    /// so an organ only predicted scores (Dice, HD95) = (1, 0), and a missed organ and an organ
    /// absent from both score (0, 0). It defines Dice and HD95 only; IoU, Acc, Sen and Spe follow
    /// <see cref="SkipAbsent"/>. TransUNet measures HD95 in voxel units (no spacing).
    /// </summary>
    TransUNet,
}
