namespace Skd.Models;

/// <summary>
/// (3×3 conv, padding 1, no bias → BatchNorm → ReLU) × 2, the U-Net's unit (Ronneberger et al. 2015,
/// with batch norm as in milesial/Pytorch-UNet). State dict: <c>double_conv.{0,3}.weight</c> (convs),
/// <c>double_conv.{1,4}.*</c> (batch norms); 2 and 5 are the ReLUs, in place as milesial's (they overwrite the batch norm's output).
/// </summary>
public sealed class DoubleConv : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly Sequential layers;

    public DoubleConv(long inChannels, long outChannels)
    {
        layers = RegisterModule("double_conv", new Sequential(
            new Conv2d(inChannels, outChannels, 3, padding: 1, bias: false), new BatchNorm2d(outChannels), new ReLU(inplace: true),
            new Conv2d(outChannels, outChannels, 3, padding: 1, bias: false), new BatchNorm2d(outChannels), new ReLU(inplace: true)));
    }

    public override Tensor Forward(Tensor input) => layers.Forward(input);

    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => walk.Run(layers, input);
}

/// <summary>An encoder stage: 2×2 max pool, then <see cref="DoubleConv"/> (<c>maxpool_conv.1.double_conv.*</c>).</summary>
public sealed class UNetDown : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly Sequential layers;

    public UNetDown(long inChannels, long outChannels)
    {
        layers = RegisterModule("maxpool_conv", new Sequential(new MaxPool2d(2), new DoubleConv(inChannels, outChannels)));
    }

    public override Tensor Forward(Tensor input) => layers.Forward(input);

    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => walk.Run(layers, input);
}

/// <summary>
/// A decoder stage: 2×2 stride-2 transposed conv halving the channels (<c>up.*</c>, with bias),
/// concatenation after the encoder's skip ([skip, upsampled] on the channel axis), then
/// <see cref="DoubleConv"/> (<c>conv.double_conv.*</c>). The skip must be exactly twice the input's size.
/// </summary>
public sealed class UNetUp : Module<(Tensor X, Tensor Skip), Tensor>
{
    private readonly ConvTranspose2d up;
    private readonly DoubleConv conv;

    public UNetUp(long inChannels, long outChannels)
    {
        up = RegisterModule("up", new ConvTranspose2d(inChannels, inChannels / 2, 2, stride: 2));
        conv = RegisterModule("conv", new DoubleConv(inChannels, outChannels));
    }

    public override Tensor Forward((Tensor X, Tensor Skip) input)
    {
        using var upsampled = up.Forward(input.X);
        using var joined = torch.Cat([input.Skip, upsampled], 1);
        return conv.Forward(joined);
    }

    /// <summary><see cref="Forward"/> on shapes: the upsampled input joined after the skip on the channel axis, then the convolutions.</summary>
    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> x, IReadOnlyList<long> skip)
    {
        var upsampled = walk.Run(up, x);
        return walk.Run(conv, [skip[0], skip[1] + upsampled[1], skip[2], skip[3]]);
    }
}

/// <summary>The 1×1 conv head mapping features to class logits (<c>conv.weight</c>, <c>conv.bias</c>), milesial's OutConv.</summary>
public sealed class OutConv : Module<Tensor, Tensor>, IShapeTraced
{
    private readonly Conv2d conv;

    public OutConv(long inChannels, long classes)
    {
        conv = RegisterModule("conv", new Conv2d(inChannels, classes, 1));
    }

    public override Tensor Forward(Tensor input) => conv.Forward(input);

    public IReadOnlyList<long> Trace(CostWalk walk, IReadOnlyList<long> input) => walk.Run(conv, input);

    /// <summary>The same convolution with its weights detached: no gradient reaches this head.</summary>
    public Tensor ForwardDetached(Tensor input)
    {
        using var scope = new DisposeScope();
        return scope.MoveToOuter(Functional.Conv2d(input, conv.Weight.Detach(), conv.Bias?.Detach()));
    }

    /// <summary>Sets weight and bias to 0 (a head whose output starts at 0).</summary>
    public void ZeroInit()
    {
        using var noGrad = torch.NoGrad();
        foreach (var p in Parameters()) p.Zero_();
    }
}
