namespace Skd.Torch.Tests;

/// <summary>
/// Finite-difference gradient check in float64, as torch.autograd.gradcheck: the analytic gradient
/// of L = Σ f(inputs)·R (R fixed random weights) against central differences (L(x+ε) − L(x−ε))/2ε.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3,
        double analyticScale = 1.0)
    {
        using var scope = new DisposeScope();
        foreach (var x in inputs)
        {
            Assert.Equal(DType.Float64, x.DType);
            x.RequiresGrad = true;
            x.Grad = null;
        }
        torch.ManualSeed(1234);
        Tensor weights;
        using (torch.NoGrad()) weights = torch.RandnLike(f(inputs));

        double Objective()
        {
            using var inner = new DisposeScope();
            using var _ = torch.NoGrad();
            return (f(inputs) * weights).Sum().Item();
        }

        (f(inputs) * weights).Sum().Backward();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var analytic = x.Grad is { } g ? g.ToArray<double>() : new double[x.NumElements];
            var values = x.Detach().AsSpan<double>().ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                Set(x, i, original + eps);
                double plus = Objective();
                Set(x, i, original - eps);
                double minus = Objective();
                Set(x, i, original);
                double numeric = (plus - minus) / (2 * eps) * analyticScale;
                double tol = atol + rtol * Math.Abs(numeric);
                if (!(Math.Abs(numeric - analytic[i]) <= tol))
                    Assert.Fail($"input {k}, element {i}: analytic gradient {analytic[i]}, numeric {numeric}");
            }
        }
    }

    private static void Set(Tensor x, int index, double value)
    {
        using var d = x.Detach();
        d.AsSpan<double>()[index] = value;
    }
}
