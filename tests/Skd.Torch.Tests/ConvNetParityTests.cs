using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>
/// A conv net built from this library's layers reproduces PyTorch's initial weights (same seed),
/// forward output, loss terms, gradients and batch-norm running statistics, from
/// Fixtures/convnet_reference.json (written by make_convnet_fixture.py with python3-torch 1.13).
/// </summary>
[Collection(SerialCollection.Name)]
public class ConvNetParityTests
{
    private sealed class FixtureNet : Module<(Tensor X, Tensor Theta), Tensor>
    {
        public readonly Conv2d Conv1, Conv2, Head;
        public readonly BatchNorm2d Bn1;
        public readonly GroupNorm Gn;
        public readonly ConvTranspose2d Up;

        public FixtureNet()
        {
            Conv1 = RegisterModule("conv1", new Conv2d(1, 4, 3, padding: 1));
            Bn1 = RegisterModule("bn1", new BatchNorm2d(4));
            Conv2 = RegisterModule("conv2", new Conv2d(4, 8, 3, padding: 1, bias: false));
            Gn = RegisterModule("gn", new GroupNorm(2, 8));
            Up = RegisterModule("up", new ConvTranspose2d(8, 4, 2, stride: 2));
            Head = RegisterModule("head", new Conv2d(4, 3, 1));
        }

        public override Tensor Forward((Tensor X, Tensor Theta) input)
        {
            var grid = F.AffineGrid(input.Theta, input.X.Shape);
            var x = F.GridSample(input.X, grid);
            var h = Bn1.Forward(Conv1.Forward(x)).Relu();
            h = F.MaxPool2d(h, 2);
            h = Gn.Forward(Conv2.Forward(h)).LeakyRelu(0.1);
            h = Up.Forward(h);
            h = h + F.Interpolate(F.AvgPool2d(h, 2), 2.0, InterpolationMode.Bilinear);
            return Head.Forward(h);
        }
    }

    [Fact]
    public void MatchesPyTorch()
    {
        var fx = FixtureFiles.Load("convnet_reference.json");
        using var scope = new DisposeScope();
        torch.ManualSeed(0);
        using var net = new FixtureNet();

        var state = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var expectedKeys = fx.GetProperty("initial_state").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(expectedKeys, net.StateDict().Select(kv => kv.Key).ToList());
        foreach (var p in fx.GetProperty("initial_state").EnumerateObject())
        {
            if (p.Name.EndsWith("num_batches_tracked")) continue;
            FixtureFiles.AssertClose(FixtureFiles.Float(p.Value), state[p.Name], 0, 0, $"default init of {p.Name}");
        }

        var x = FixtureFiles.Float(fx.GetProperty("x"));
        var y = FixtureFiles.Long(fx.GetProperty("y"));
        var theta = FixtureFiles.Float(fx.GetProperty("theta"));
        var classWeight = FixtureFiles.Float(fx.GetProperty("class_weight"));
        var softTarget = FixtureFiles.Float(fx.GetProperty("soft_target"));

        var logits = net.Forward((x, theta));
        FixtureFiles.AssertClose(FixtureFiles.Float(fx.GetProperty("logits")), logits, 1e-4, 1e-5, "logits");

        var ce = F.CrossEntropy(logits, y, classWeight);
        var kl = F.KlDiv(F.LogSoftmax(logits / 2.0, 1), softTarget, Reduction.Sum) / logits.Size(0) * 4.0;
        var bce = F.BinaryCrossEntropyWithLogits(logits.Select(1, 1), y.Eq(1).Float());
        var mse = F.MseLoss(logits.Softmax(1), F.OneHot(y, 3).Permute(0, 3, 1, 2).Float());
        var total = ce + kl + bce + mse;
        var losses = fx.GetProperty("losses");
        AssertRelative(losses.GetProperty("ce").GetDouble(), ce.Item());
        AssertRelative(losses.GetProperty("kl").GetDouble(), kl.Item());
        AssertRelative(losses.GetProperty("bce").GetDouble(), bce.Item());
        AssertRelative(losses.GetProperty("mse").GetDouble(), mse.Item());
        AssertRelative(losses.GetProperty("total").GetDouble(), total.Item());

        total.Backward();
        var grads = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!);
        foreach (var g in fx.GetProperty("grads").EnumerateObject())
            FixtureFiles.AssertClose(FixtureFiles.Float(g.Value), grads[g.Name], 1e-3, 1e-5, $"gradient of {g.Name}");

        foreach (var s in fx.GetProperty("state_after").EnumerateObject())
        {
            if (s.Name.EndsWith("num_batches_tracked"))
                Assert.Equal(1L, state[s.Name].Item<long>());
            else
                FixtureFiles.AssertClose(FixtureFiles.Float(s.Value), state[s.Name], 1e-5, 1e-6, s.Name);
        }
    }

    /// <summary>Float32 sums may be reduced in another order (threads): equal to 1e-6 relative, 1e-6 absolute near 0.</summary>
    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
