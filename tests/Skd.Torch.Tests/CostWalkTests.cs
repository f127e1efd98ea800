namespace Skd.Torch.Tests;

/// <summary>The layer types' traces (<see cref="CostWalk"/>): the shapes their forward passes produce, and their cost by fvcore's convention.</summary>
public class CostWalkTests
{
    public static TheoryData<string> Layers() => new(LayerCases().Keys);

    private static Dictionary<string, (Func<Module<Tensor, Tensor>> Create, long[] Input)> LayerCases() => new()
    {
        ["conv 3×3 stride 2 padding 1 dilation 2"] = (() => new Conv2d(4, 6, 3, stride: 2, padding: 1, dilation: 2), [2, 4, 11, 9]),
        ["conv 1×1 groups 2"] = (() => new Conv2d(4, 6, 1, groups: 2), [1, 4, 5, 7]),
        ["transposed conv 3×3 stride 2 padding 1 output padding 1"] = (() => new ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1), [2, 4, 5, 6]),
        ["linear"] = (() => new Linear(7, 3), [2, 5, 7]),
        ["batch norm"] = (() => new BatchNorm2d(4), [2, 4, 5, 5]),
        ["group norm"] = (() => new GroupNorm(2, 4), [2, 4, 5, 5]),
        ["max pool 3 stride 2 ceil mode"] = (() => new MaxPool2d(3, 2, padding: 1, ceilMode: true), [1, 2, 10, 7]),
        ["max pool 2"] = (() => new MaxPool2d(2), [1, 2, 9, 8]),
        ["average pool 3 stride 2"] = (() => new AvgPool2d(3, 2, 1), [1, 2, 10, 7]),
        ["adaptive average pool"] = (() => new AdaptiveAvgPool2d(3, 2), [1, 2, 10, 7]),
        ["upsample by 2"] = (() => new Upsample(2.0), [1, 2, 5, 3]),
        ["upsample to a size"] = (() => new Upsample((7, 4)), [1, 2, 5, 3]),
        ["relu"] = (() => new ReLU(), [1, 2, 3, 3]),
        ["leaky relu"] = (() => new LeakyReLU(), [1, 2, 3, 3]),
        ["sigmoid"] = (() => new Sigmoid(), [1, 2, 3, 3]),
        ["identity"] = (() => new Identity(), [1, 2, 3, 3]),
        ["dropout"] = (() => new Dropout(), [1, 2, 3, 3]),
        ["dropout 2d"] = (() => new Dropout2d(), [1, 2, 3, 3]),
        ["sequential"] = (() => new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3), new ReLU(), new MaxPool2d(2)), [1, 2, 9, 9]),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void EveryLayerTracesTheShapeItsForwardPassProducesAndCountsItsParameterTensors(string layer)
    {
        var (create, input) = LayerCases()[layer];
        using var module = create();
        using var x = torch.Zeros(input);
        using var y = module.Forward(x);
        var walk = new CostWalk();
        Assert.Equal(y.Shape, walk.Run(module, input));
        Assert.Equal(module.Parameters().Sum(p => p.NumElements), walk.Parameters);
    }

    [Fact]
    public void ConvolutionMacsCountEveryKernelTap()
    {
        // 3×3 conv, 8 → 16 channels in 2 groups, on a 10×12 output: each output element reads 4·9 inputs
        using var conv = new Conv2d(8, 16, 3, padding: 1, groups: 2);
        Assert.Equal(10L * 12 * 16 * 4 * 9, Macs(conv, [1, 8, 10, 12]));
        // 2×2 stride-2 transposed conv 16 → 8 on a 5×6 input: each input element writes 8·4 outputs
        using var up = new ConvTranspose2d(16, 8, 2, stride: 2);
        Assert.Equal(5L * 6 * 16 * 8 * 4, Macs(up, [1, 16, 5, 6]));
        // a batch of 3 is three images' MACs; a linear layer one MAC per weight per row
        Assert.Equal(3 * Macs(up, [1, 16, 5, 6]), Macs(up, [3, 16, 5, 6]));
        using var linear = new Linear(7, 3);
        Assert.Equal(2L * 5 * 7 * 3, Macs(linear, [2, 5, 7]));
        using var norm = new BatchNorm2d(4);
        Assert.Equal(0, Macs(norm, [1, 4, 5, 5]));
    }

    [Fact]
    public void ALayerRunTwiceBringsItsMacsTwiceAndItsParametersOnce()
    {
        using var conv = new Conv2d(2, 2, 3, padding: 1);
        var walk = new CostWalk();
        var first = walk.Measure(() => walk.Run(conv, [1, 2, 4, 4]));
        var second = walk.Measure(() => walk.Run(conv, first.Output));
        Assert.Equal((conv.ParameterCount, 0L), (first.Parameters, second.Parameters));
        Assert.Equal(first.Macs, second.Macs);
        Assert.Equal((conv.ParameterCount, 2 * first.Macs), (walk.Parameters, walk.Macs));
    }

    [Fact]
    public void AModuleWithoutATraceIsNamed()
    {
        using var module = new Opaque();
        var error = Assert.Throws<NotSupportedException>(() => new CostWalk().Run(new Sequential(new ReLU(), module), [1, 1, 2, 2]));
        Assert.Contains("Opaque", error.Message);
    }

    private static long Macs(Module layer, long[] input)
    {
        var walk = new CostWalk();
        walk.Run(layer, input);
        return walk.Macs;
    }

    private sealed class Opaque : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor input) => input.Alias();
    }
}
