namespace Skd.Models;

/// <summary>
/// U-Net (Ronneberger et al., MICCAI 2015) in the layout of milesial/Pytorch-UNet (batch norm, padded
/// convolutions, transposed-conv upsampling), with width w and depth d as parameters:
/// <code>
/// inc    DoubleConv(C_in → w)                                   H
/// down i MaxPool 2×2 → DoubleConv(w·2^(i−1) → w·2^i)            H/2^i       i = 1..d
/// up i   ConvTranspose 2×2/2 (c → c/2), cat [skip, ·], DoubleConv(c → c/2),
///        c = w·2^(d−i+1)                                        H/2^(d−i)   i = 1..d
/// outc   1×1 conv (w → K)                                       H
/// </code>
/// With 1 input channel and 2 classes: 31,036,546 parameters at w = 64, 1,942,306 at w = 16.
/// State-dict keys are milesial's, generalised to any depth (<c>inc.double_conv.0.weight</c>,
/// <c>down1.maxpool_conv.1.double_conv.0.weight</c>, <c>up1.up.weight</c>,
/// <c>up1.conv.double_conv.0.weight</c>, <c>outc.conv.weight</c>), registered in milesial's order, so
/// the same seed gives PyTorch's initial weights and checkpoints load in PyTorch by name.
/// Height and width must be multiples of 2^d (no implicit padding; see <see cref="UNetConfig.CheckSize(long, long)"/>).
/// </summary>
public sealed class UNet : Module<Tensor, UNetOutput>
{
    private readonly DoubleConv inc;
    private readonly List<UNetDown> downs = new();
    private readonly List<UNetUp> ups = new();

    public UNetConfig Config { get; }

    /// <summary>The 1×1 conv head (<c>outc</c>) that maps <see cref="UNetOutput.Penultimate"/> to the logits; methods may reuse it on other features.</summary>
    public OutConv Head { get; }

    public UNet(UNetConfig config)
    {
        Config = config.Validate();
        inc = RegisterModule("inc", new DoubleConv(config.InChannels, config.Channels(0)));
        for (int i = 1; i <= config.Depth; i++)
            downs.Add(RegisterModule($"down{i}", new UNetDown(config.Channels(i - 1), config.Channels(i))));
        for (int i = 1; i <= config.Depth; i++)
            ups.Add(RegisterModule($"up{i}", new UNetUp(config.Channels(config.Depth - i + 1), config.Channels(config.Depth - i))));
        Head = RegisterModule("outc", new OutConv(config.Width, config.Classes));
    }

    /// <summary>Logits and every stage's features for a B×C_in×H×W batch (H, W multiples of 2^d), laid out in <see cref="Module.MemoryFormat"/>.</summary>
    /// <exception cref="ArgumentException">The input is not 4-D, has the wrong channel count, or a size that is not a multiple of 2^d.</exception>
    public override UNetOutput Forward(Tensor input)
    {
        if (input.Dim != 4 || input.Size(1) != Config.InChannels)
            throw new ArgumentException($"the U-Net expects a B×{Config.InChannels}×H×W input, got [{string.Join(", ", input.Shape)}]");
        Config.CheckSize(input.Size(2), input.Size(3));
        var encoder = new List<Tensor>();
        // The data → model boundary: a batch in the network's memory format, so every layer after it runs in that layout.
        using (var laidOut = input.Contiguous(MemoryFormat)) encoder.Add(inc.Forward(laidOut));
        foreach (var down in downs) encoder.Add(down.Forward(encoder[^1]));
        var decoder = new List<Tensor>();
        for (int i = 0; i < ups.Count; i++)
            decoder.Add(ups[i].Forward((i == 0 ? encoder[^1] : decoder[^1], encoder[^(i + 2)])));
        return new UNetOutput(Head.Forward(decoder[^1]), decoder, encoder);
    }

    /// <summary>
    /// Parameters and MACs of each stage (inc, down1..d, up1..d, outc, the registered children) for one
    /// size×size image: a walk of the module tree (<see cref="CostWalk"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The size is not a multiple of 2^d.</exception>
    public ModelProfile Profile(long size) => new(Trace(new CostWalk(), size).Rows);

    /// <summary>
    /// <see cref="Forward"/> on shapes for a 1×C_in×size×size input: the shapes of the output's tensors,
    /// and one profile row per stage, named as the stage is registered.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not a multiple of 2^d.</exception>
    public UNetTrace Trace(CostWalk walk, long size)
    {
        Config.CheckSize(size, size);
        var rows = new List<ProfileRow>();
        IReadOnlyList<long> Stage(Module stage, Func<IReadOnlyList<long>> trace)
        {
            var measured = walk.Measure(trace);
            rows.Add(ProfileRow.Of(NamedChildren().First(c => ReferenceEquals(c.Module, stage)).Name, measured));
            return measured.Output;
        }
        var encoder = new List<IReadOnlyList<long>> { Stage(inc, () => walk.Run(inc, [1, Config.InChannels, size, size])) };
        foreach (var down in downs) encoder.Add(Stage(down, () => walk.Run(down, encoder[^1])));
        var decoder = new List<IReadOnlyList<long>>();
        for (int i = 0; i < ups.Count; i++)
        {
            var (up, x, skip) = (ups[i], i == 0 ? encoder[^1] : decoder[^1], encoder[^(i + 2)]);
            decoder.Add(Stage(up, () => up.Trace(walk, x, skip)));
        }
        return new UNetTrace(Stage(Head, () => walk.Run(Head, decoder[^1])), decoder, encoder, rows);
    }

    /// <summary>The logits alone (B×K×H×W), for plain inference; the features are freed at once.</summary>
    public Tensor Logits(Tensor input)
    {
        var output = Forward(input);
        foreach (var t in output.DecoderFeatures.Concat(output.EncoderFeatures)) t.Dispose();
        return output.Logits;
    }
}

/// <summary>
/// <see cref="UNet.Trace"/>: the shapes of <see cref="UNetOutput"/>'s tensors for one image (batch axis
/// first, of size 1) and the profile row of each stage.
/// </summary>
public sealed record UNetTrace(IReadOnlyList<long> Logits, IReadOnlyList<IReadOnlyList<long>> DecoderFeatures,
    IReadOnlyList<IReadOnlyList<long>> EncoderFeatures, IReadOnlyList<ProfileRow> Rows)
{
    /// <summary>The shape of F, the last decoder features.</summary>
    public IReadOnlyList<long> Penultimate => DecoderFeatures[^1];

    /// <summary>MACs of the network's forward pass (every stage).</summary>
    public long Macs => Rows.Sum(r => r.Macs);
}

/// <summary>
/// What <see cref="UNet.Forward"/> computes, so that side outputs, auxiliary heads and feature
/// modules attach without changing the network.
/// <list type="bullet">
/// <item><see cref="Logits"/>: B×K×H×W.</item>
/// <item><see cref="DecoderFeatures"/>: the outputs of up1..up_d in computation order, deepest
/// (coarsest) first: element j has w·2^(d−1−j) channels at H/2^(d−1−j); the last is
/// <see cref="Penultimate"/>.</item>
/// <item><see cref="EncoderFeatures"/>: the outputs of inc, down1..down_d: element i has w·2^i
/// channels at H/2^i; the last is the bottleneck.</item>
/// </list>
/// Disposing it frees every tensor; inside a <see cref="DisposeScope"/> the scope does.
/// </summary>
public sealed record UNetOutput(Tensor Logits, IReadOnlyList<Tensor> DecoderFeatures, IReadOnlyList<Tensor> EncoderFeatures) : IDisposable
{
    /// <summary>F, the last decoder features (B×w×H×W), the input of the head.</summary>
    public Tensor Penultimate => DecoderFeatures[^1];

    public void Dispose()
    {
        Logits.Dispose();
        foreach (var t in DecoderFeatures.Concat(EncoderFeatures)) t.Dispose();
    }
}
