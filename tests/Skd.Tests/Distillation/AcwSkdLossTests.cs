using static Skd.Tests.Distillation.AcwSkdFixture;

namespace Skd.Tests.Distillation;

/// <summary>ACW-SKD's loss functions against PyTorch on tiny float64 tensors (Fixtures/make_acw_skd_fixtures.py), and their edge cases by hand.</summary>
public class AcwSkdLossTests
{
    private static readonly System.Text.Json.JsonElement Fx = Root.GetProperty("losses");

    [Fact]
    public void PrototypesAndPresentClassesMatchPyTorch()
    {
        using var scope = new DisposeScope();
        var labels = Long(Fx.GetProperty("labels"));
        Assert.True(MaxAbsDiff(Double(Fx.GetProperty("prototypes")), ClassPrototypes.Compute(Double(Fx.GetProperty("features")), Double(Fx.GetProperty("mask")))) < 1e-12);
        var present = ClassPrototypes.Present(labels, 4, DType.Float64);
        Assert.Equal(0, MaxAbsDiff(Double(Fx.GetProperty("present")), present));
        Assert.Equal(0.0, present[0][3].Item());   // the fixture removed class 3 from image 0
    }

    [Fact]
    public void ClassWiseAndRelationTermsMatchPyTorch()
    {
        using var scope = new DisposeScope();
        var mask = Double(Fx.GetProperty("mask"));
        var student = ClassPrototypes.Compute(Double(Fx.GetProperty("features")), mask);
        var target = ClassPrototypes.Compute(Double(Fx.GetProperty("teacher_features")), mask);
        var present = ClassPrototypes.Present(Long(Fx.GetProperty("labels")), 4, DType.Float64);
        Assert.Equal(Fx.GetProperty("classwise").GetDouble(), ClassWiseDistillationLoss.Compute(student, target, present).Item(), 12);
        Assert.Equal(Fx.GetProperty("relation").GetDouble(), InterClassRelationLoss.Compute(student, target, present).Item(), 12);
    }

    [Fact]
    public void KdAtAPerImageLearnedTemperatureMatchesPyTorch()
    {
        using var scope = new DisposeScope();
        var tau = Double(Fx.GetProperty("theta")).Sigmoid() * 20 + 1;
        Assert.Equal(Fx.GetProperty("kd_per_image").GetDouble(),
            PixelKdLoss.Compute(Double(Fx.GetProperty("logits")), Double(Fx.GetProperty("teacher")), tau).Item(), 12);
    }

    [Fact]
    public void ClassWiseTermByHandCountsPresentClassesOnly()
    {
        using var scope = new DisposeScope();
        // One image, 3 classes, C = 2. Class 0: same direction (0); class 1: orthogonal (‖(1,0)−(0,1)‖² = 2);
        // class 2: opposite (4) but absent, so it must not count: mean over {0, 1} = 1.
        var student = Tensor.From(new[] { 2.0, 0, 1, 0, 1, 0 }, 1, 3, 2);
        var target = Tensor.From(new[] { 5.0, 0, 0, 3, -1, 0 }, 1, 3, 2);
        var present = Tensor.From(new[] { 1.0, 1, 0 }, 1, 3);
        Assert.Equal(1.0, ClassWiseDistillationLoss.Compute(student, target, present).Item(), 12);
        // Relations: student R01 = 1 (both along x), target R01 = 0; pairs (0,1) and (1,0): mean of 1 and 1.
        Assert.Equal(1.0, InterClassRelationLoss.Compute(student, target, present).Item(), 12);
        // No present pair: both terms are 0, not NaN.
        var none = Tensor.From(new[] { 0.0, 0, 1 }, 1, 3);
        Assert.Equal(0.0, ClassWiseDistillationLoss.Compute(student, target, torch.ZerosLike(none)).Item());
        Assert.Equal(0.0, InterClassRelationLoss.Compute(student, target, none).Item());
    }

    [Fact]
    public void PrototypesOfAOneHotMaskAreClassMeans()
    {
        using var scope = new DisposeScope();
        // 1 image, C = 1, 4 pixels with values 1, 2, 3, 6; labels 0, 0, 1, 1 → means 1.5 and 4.5; class 2 empty → 0.
        var features = Tensor.From(new[] { 1.0, 2, 3, 6 }, 1, 1, 2, 2);
        var labels = Tensor.From(new long[] { 0, 0, 1, 1 }, 1, 2, 2);
        var prototypes = ClassPrototypes.Compute(features, ClassPrototypes.LabelMask(labels, 3, DType.Float64), epsilon: 0);
        Assert.Equal(1.5, prototypes[0][0][0].Item(), 12);
        Assert.Equal(4.5, prototypes[0][1][0].Item(), 12);
        var withEpsilon = ClassPrototypes.Compute(features, ClassPrototypes.LabelMask(labels, 3, DType.Float64));
        Assert.Equal(0.0, withEpsilon[0][2][0].Item());
        Assert.Throws<ArgumentException>(() => ClassPrototypes.Compute(features, torch.Zeros([1, 3, 2, 3], DType.Float64)));
    }
}
