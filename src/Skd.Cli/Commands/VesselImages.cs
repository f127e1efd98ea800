using Skd.Torch;

namespace Skd.Cli.Commands;

/// <summary>
/// Quick vessel-like training pairs made with tensor ops: a few dark, smooth curves of random
/// width over an unevenly lit, noisy background, and their exact binary masks. Seeded by torch.ManualSeed.
/// </summary>
internal static class VesselImages
{
    public static (Tensor Images, Tensor Masks) Generate(int count, int size)
    {
        using var scope = new DisposeScope();
        var coords = torch.Arange(0, size, 1, DType.Float32) / (size - 1);            // (S)
        var x = coords.View(1, 1, size);                                              // (1, 1, S) along width
        var y = coords.View(1, size, 1);                                              // (1, S, 1) along height
        var mask = torch.Zeros([count, size, size], DType.Bool);
        for (int curve = 0; curve < 3; curve++)
        {
            var p = torch.Rand(count, 5);                                             // per image: amplitude, frequency, phase, offset, width
            var amplitude = (p.Select(1, 0) * 0.25).View(count, 1, 1);
            var frequency = (p.Select(1, 1) * 10 + 2).View(count, 1, 1);
            var phase = (p.Select(1, 2) * 6.28).View(count, 1, 1);
            var offset = (p.Select(1, 3) * 0.6 + 0.2).View(count, 1, 1);
            var width = (p.Select(1, 4) * 0.02 + 0.012).View(count, 1, 1);
            var centre = offset + amplitude * (x * frequency + phase).Sin();          // (N, 1, S)
            mask = mask.LogicalOr((y - centre).Abs().Lt(width));                      // (N, S, S)
        }
        var light = (x * 0.3 + y * 0.2) * torch.Rand(count, 1, 1) + 0.4;              // uneven illumination
        var image = light - mask.Float() * 0.35 + torch.Randn(count, size, size) * 0.08;
        return (scope.MoveToOuter(image.Unsqueeze(1)), scope.MoveToOuter(mask.Long()));
    }
}
