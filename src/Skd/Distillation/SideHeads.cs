namespace Skd.Distillation;

/// <summary>
/// One k×k convolution (with bias, padding k/2) on each of the first <c>stages</c> decoder stages of a
/// U-Net, coarsest first (<c>up1</c>, <c>up2</c>, …), its output bilinearly upsampled
/// (align_corners = false) to the input's H×W; a stage already at H×W is not resampled. The side
/// outputs of DSKD (3×3, methods.md §2), the stage classifiers of deep supervision and BYOT, and
/// BYOT's feature adapters (1×1 to the penultimate width, §3). Registered as <c>up{i}.weight</c>,
/// <c>up{i}.bias</c> after the stage each head reads. Convolving before upsampling equals convolving the
/// upsampled features for a 1×1 head (bilinear weights sum to 1) and is cheaper.
/// </summary>
public sealed class SideHeads : Module<UNetOutput, IReadOnlyList<Tensor>>
{
    private readonly List<Conv2d> heads = new();
    private readonly UNetConfig network;

    /// <param name="network">The U-Net whose decoder the heads read.</param>
    /// <param name="stages">How many decoder stages get a head, from the coarsest (1 ≤ stages ≤ depth).</param>
    /// <param name="outChannels">Channels of each head's output.</param>
    /// <param name="kernelSize">Odd kernel size k of each head.</param>
    public SideHeads(UNetConfig network, int stages, long outChannels, long kernelSize)
    {
        if (stages < 1 || stages > network.Depth)
            throw new ArgumentOutOfRangeException(nameof(stages), stages, $"a U-Net of depth {network.Depth} has decoder stages 1..{network.Depth}");
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "a side head's kernel size must be odd and positive (it keeps the stage's size)");
        this.network = network;
        for (int i = 1; i <= stages; i++)
            heads.Add(RegisterModule($"up{i}", new Conv2d(StageChannels(i), outChannels, kernelSize, padding: kernelSize / 2)));
    }

    /// <summary>One B×outChannels×H×W output per head, coarsest stage first.</summary>
    public override IReadOnlyList<Tensor> Forward(UNetOutput output)
    {
        long height = output.Logits.Size(2), width = output.Logits.Size(3);
        var result = new List<Tensor>(heads.Count);
        for (int i = 0; i < heads.Count; i++)
        {
            var side = heads[i].Forward(output.DecoderFeatures[i]);
            if (side.Size(2) == height && side.Size(3) == width) result.Add(side);
            else
            {
                result.Add(F.Interpolate(side, (height, width), InterpolationMode.Bilinear));
                side.Dispose();
            }
        }
        return result;
    }

    /// <summary>
    /// One row per head, named "<paramref name="name"/> up{i}", traced in <paramref name="walk"/> on the
    /// decoder stages of <paramref name="network"/>: the convolution's parameters and its MACs at the
    /// stage's own resolution, its output at the input's H×W (upsampling counts 0 MACs, <see cref="CostWalk"/>).
    /// </summary>
    public IReadOnlyList<ProfileRow> Rows(string name, CostWalk walk, UNetTrace network) => heads.Select((head, index) =>
    {
        var side = walk.Measure(() => walk.Run(head, network.DecoderFeatures[index]));
        return ProfileRow.Of($"{name} up{index + 1}", side with { Output = [.. side.Output.Take(2), .. network.Logits.Skip(2)] });
    }).ToList();

    /// <summary>
    /// How many decoder stages precede the last one (d − 1), for methods that put heads on them: a
    /// requirement failure for a U-Net of depth 1, which has none.
    /// </summary>
    public static int CoarserStages(MethodContext context) => context.Student.Depth >= 2 ? context.Student.Depth - 1
        : throw new MethodRequirementException($"method '{context.Method.Name}' puts heads on the decoder stages before the last one: it needs a U-Net of depth 2 or more, got {context.Student.Depth}");

    /// <summary>Channels of decoder stage up{stage}: w·2^(d−stage).</summary>
    private int StageChannels(int stage) => network.Channels(network.Depth - stage);
}
