namespace Skd.Tests.Distillation;

/// <summary>
/// DSKD's DDL and PSDL, PS-KD's target and BYOT's terms against PyTorch, written loop by loop
/// (Fixtures/make_self_kd_fixtures.py), in float64.
/// </summary>
public class SelfKdLossTests
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "self_kd_reference.json"))).RootElement;

    private static long[] Shape(string key) => Fx.GetProperty(key).GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();

    private static Tensor Double(string key) => Tensor.From(Fx.GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray(), Shape(key));

    private static Tensor Labels(string key) => Tensor.From(Fx.GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray(), Shape(key));

    private static double Expected(string key) => Fx.GetProperty(key).GetDouble();

    private static List<Tensor> SideProbabilities(string prefix) =>
        [DeepDistributionLoss.SideProbabilities(Double(prefix + "_0")), DeepDistributionLoss.SideProbabilities(Double(prefix + "_1"))];

    private static List<Tensor> OneHot(string labels, long classes, int count)
    {
        var onehot = Functional.OneHot(Labels(labels), classes).Permute(0, 3, 1, 2).Double();
        return Enumerable.Repeat(onehot, count).ToList();
    }

    [Theory]
    [InlineData(PatchDistribution.Proportion, "ddl_binary_proportion_teacher")]
    [InlineData(PatchDistribution.Softmax, "ddl_binary_softmax_teacher")]
    public void DdlAgainstTheTeachersSideOutputsMatches(PatchDistribution distribution, string expected)
    {
        using var scope = new DisposeScope();
        var loss = new DeepDistributionLoss(4, distribution).Compute(SideProbabilities("side_student_binary"), SideProbabilities("side_teacher_binary"));
        Assert.Equal(Expected(expected), loss.Item(), 10);
    }

    [Theory]
    [InlineData(4, PatchDistribution.Proportion, "ddl_binary_proportion_label")]
    [InlineData(4, PatchDistribution.Softmax, "ddl_binary_softmax_label")]
    [InlineData(2, PatchDistribution.Proportion, "ddl_binary_proportion_label_grid2")]
    public void DdlAgainstTheGroundTruthMatches(int grid, PatchDistribution distribution, string expected)
    {
        using var scope = new DisposeScope();
        var loss = new DeepDistributionLoss(grid, distribution).Compute(SideProbabilities("side_student_binary"), OneHot("labels_binary", 2, 2));
        Assert.Equal(Expected(expected), loss.Item(), 10);
    }

    [Fact]
    public void DdlOverThreeClassesMatches()
    {
        using var scope = new DisposeScope();
        var student = SideProbabilities("side_student_k3");
        Assert.Equal(Expected("ddl_k3_proportion_teacher"), new DeepDistributionLoss().Compute(student, SideProbabilities("side_teacher_k3")).Item(), 10);
        Assert.Equal(Expected("ddl_k3_softmax_label"),
            new DeepDistributionLoss(Distribution: PatchDistribution.Softmax).Compute(student, OneHot("labels_k3", 3, 2)).Item(), 10);
    }

    [Fact]
    public void DdlWithTheStudentFirstMatches()
    {
        using var scope = new DisposeScope();
        var student = SideProbabilities("side_student_binary");
        Assert.Equal(Expected("ddl_binary_proportion_teacher_student_first"),
            new DeepDistributionLoss(Direction: KlDirection.StudentFirst).Compute(student, SideProbabilities("side_teacher_binary")).Item(), 10);
        Assert.Equal(Expected("ddl_binary_softmax_teacher_student_first"),
            new DeepDistributionLoss(Distribution: PatchDistribution.Softmax, Direction: KlDirection.StudentFirst).Compute(student, SideProbabilities("side_teacher_binary")).Item(), 10);
        Assert.Equal(Expected("ddl_binary_proportion_label_student_first"),
            new DeepDistributionLoss(Direction: KlDirection.StudentFirst).Compute(student, OneHot("labels_binary", 2, 2)).Item(), 10);
        Assert.Equal(Expected("ddl_k3_proportion_teacher_student_first"),
            new DeepDistributionLoss(Direction: KlDirection.StudentFirst).Compute(SideProbabilities("side_student_k3"), SideProbabilities("side_teacher_k3")).Item(), 10);
        Assert.Equal(0, new DeepDistributionLoss(Direction: KlDirection.StudentFirst).Compute(student, student).Item(), 12);
    }

    [Theory]
    [InlineData("logits_binary", "labels_binary", "dice_foreground_binary")]
    [InlineData("logits_k4", "labels_k4", "dice_foreground_k4")]
    public void ForegroundPlainDiceMatchesTheReimplementations(string logits, string labels, string expected)
    {
        using var scope = new DisposeScope();
        var dice = new DiceLoss(IncludeBackground: false, SquaredDenominator: false, Smooth: 1);
        Assert.Equal(Expected(expected), dice.Compute(Double(logits), Labels(labels)).Item(), 10);
    }

    [Fact]
    public void DdlIsZeroForIdenticalMapsAndRejectsAGridThatDoesNotDivide()
    {
        using var scope = new DisposeScope();
        var student = SideProbabilities("side_student_binary");
        Assert.Equal(0, new DeepDistributionLoss().Compute(student, student).Item(), 12);
        Assert.Contains("divisible by 3", Assert.Throws<ArgumentException>(() => new DeepDistributionLoss(3).Compute(student, student)).Message);
        Assert.Throws<ArgumentException>(() => new DeepDistributionLoss().Compute(student, student.Take(1).ToList()));
    }

    [Fact]
    public void BinarySideProbabilitiesAreBackgroundThenForeground()
    {
        using var scope = new DisposeScope();
        var p = DeepDistributionLoss.SideProbabilities(Tensor.From(new[] { 0.0, 2.0 }, 1, 1, 1, 2));
        Assert.Equal([1L, 2, 1, 2], p.Shape);
        double s = 1 / (1 + Math.Exp(-2));
        Assert.Equal([0.5, 1 - s, 0.5, s], p.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void BinaryPsdlIsBceOfTheForegroundProbability()
    {
        using var scope = new DisposeScope();
        var teacher = Double("teacher_binary").Softmax(1);
        var target = ProgressiveSoftTarget.Compute(teacher, Labels("labels_binary"), Expected("alpha_binary"));
        Assert.Equal(Expected("psdl_binary"), SoftCrossEntropy.Compute(Double("logits_binary"), target).Item(), 10);
    }

    [Fact]
    public void MultiClassProgressiveTargetMatchesPsKd()
    {
        using var scope = new DisposeScope();
        double alpha = ProgressiveSoftTarget.Alpha(0.8, 3, 10);
        Assert.Equal(Expected("alpha_k4"), alpha, 15);
        var target = ProgressiveSoftTarget.Compute(Double("teacher_k4").Softmax(1), Labels("labels_k4"), alpha);
        Assert.Equal(Expected("pskd_k4"), SoftCrossEntropy.Compute(Double("logits_k4"), target).Item(), 10);
    }

    [Fact]
    public void AlphaGrowsLinearlyFromZero()
    {
        Assert.Equal(0, ProgressiveSoftTarget.Alpha(0.5, 0, 4));
        Assert.Equal(0.125, ProgressiveSoftTarget.Alpha(0.5, 1, 4));
        Assert.Equal(0.375, ProgressiveSoftTarget.Alpha(0.5, 3, 4));
        Assert.Equal(0.8 * 99 / 100, ProgressiveSoftTarget.Alpha(0.8, 99, 100), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProgressiveSoftTarget.Alpha(0.5, 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProgressiveSoftTarget.Alpha(0.5, 0, 0));
    }

    [Fact]
    public void ByotTermsMatch()
    {
        using var scope = new DisposeScope();
        var terms = ByotLoss.Compute([Double("byot_shallow_0"), Double("byot_shallow_1")], [Double("byot_feature_0"), Double("byot_feature_1")],
            Double("byot_deep"), Double("byot_deep_feature"), Labels("labels_k3"), 3);
        Assert.Equal(Expected("byot_ce"), terms.CrossEntropy.Item(), 10);
        Assert.Equal(Expected("byot_kd"), terms.Distillation.Item(), 10);
        Assert.Equal(Expected("byot_feature"), terms.Feature.Item(), 8);
    }

    [Fact]
    public void ByotSendsNoGradientToTheDeepHead()
    {
        using var scope = new DisposeScope();
        var deep = Double("byot_deep").RequiresGrad_();
        var deepFeature = Double("byot_deep_feature").RequiresGrad_();
        var shallow = Double("byot_shallow_0").RequiresGrad_();
        var terms = ByotLoss.Compute([shallow], [Double("byot_feature_0")], deep, deepFeature, Labels("labels_k3"), 3);
        (terms.Distillation + terms.Feature).Backward();
        Assert.Null(deep.Grad);
        Assert.Null(deepFeature.Grad);
        Assert.NotNull(shallow.Grad);
    }
}
