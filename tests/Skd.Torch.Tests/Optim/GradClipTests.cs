namespace Skd.Torch.Tests;

/// <summary>GradClip.ClipGradNorm matches torch.nn.utils.clip_grad_norm_ (Fixtures/optim_reference.json).</summary>
public class GradClipTests
{
    [Fact]
    public void MatchesClipGradNorm()
    {
        var fx = OptimProblem.Fixture.GetProperty("clip_grad_norm");
        using var scope = new DisposeScope();
        var grads = fx.GetProperty("grads").EnumerateArray().Select(OptimProblem.Double).ToArray();
        foreach (var c in fx.GetProperty("cases").EnumerateArray())
        {
            var parameters = new[] { torch.Zeros([3, 2], DType.Float64), torch.Zeros([4], DType.Float64), torch.Zeros([2], DType.Float64) };
            foreach (var p in parameters) p.RequiresGrad = true;
            parameters[0].Grad = grads[0].Clone();
            parameters[1].Grad = grads[1].Clone();
            double normType = c.GetProperty("norm_type") is { ValueKind: System.Text.Json.JsonValueKind.String } ? double.PositiveInfinity : c.GetProperty("norm_type").GetDouble();
            string what = $"max_norm {c.GetProperty("max_norm")}, norm {normType}";

            double total = GradClip.ClipGradNorm(parameters, c.GetProperty("max_norm").GetDouble(), normType);

            double expected = c.GetProperty("total_norm").GetDouble();
            Assert.True(Math.Abs(total - expected) <= 1e-12 * expected, $"{what}: total norm {total}, expected {expected}");
            var clipped = c.GetProperty("grads").EnumerateArray().Select(OptimProblem.Double).ToArray();
            FixtureFiles.AssertClose(clipped[0], parameters[0].Grad!, 1e-12, 1e-15, what);
            FixtureFiles.AssertClose(clipped[1], parameters[1].Grad!, 1e-12, 1e-15, what);
            Assert.Null(parameters[2].Grad);
        }
    }

    [Fact]
    public void NoGradientsGiveZero()
    {
        using var scope = new DisposeScope();
        var p = torch.Ones(3).RequiresGrad_();
        Assert.Equal(0, GradClip.ClipGradNorm([p], 1.0));
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([p], -1.0));
    }
}
