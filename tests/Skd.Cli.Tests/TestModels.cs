namespace Skd.Cli.Tests;

/// <summary>Model files of small, freshly seeded U-Nets for the verbs that load one.</summary>
internal static class TestModels
{
    /// <summary>
    /// Writes a width-4, depth-2 U-Net for <paramref name="size"/>² inputs. Seed 6 predicts every class somewhere on
    /// EvalCommandTests' datasets; <paramref name="onlyClass"/> makes it predict that class everywhere.
    /// </summary>
    public static string Write(string path, int inChannels, int classes, int size = 16, IntensityNormalization normalization = IntensityNormalization.Auto,
        InterpolationMode interpolation = InterpolationMode.Bilinear, int? onlyClass = null, ulong seed = 6)
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(seed);
        var config = new UNetConfig(inChannels, classes, Width: 4, Depth: 2);
        using var network = new UNet(config);
        using (torch.NoGrad())
        {
            var state = network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
            if (onlyClass is { } k)
            {
                // A 1×1 head with zero weights: the logits are its bias everywhere.
                state["outc.conv.weight"].Zero_();
                state["outc.conv.bias"].Zero_();
                state["outc.conv.bias"].Narrow(0, k, 1).Fill_(1);
            }
            else
            {
                // A fresh U-Net's head bias outweighs its spatial variation (it predicts one class
                // everywhere): a zero bias and larger weights make its predictions vary over the image.
                state["outc.conv.weight"].Mul_(50);
                state["outc.conv.bias"].Zero_();
            }
        }
        ModelFile.Save(path, network, new ModelInfo { Network = config, Size = size, Normalization = normalization, ImageInterpolation = interpolation });
        return path;
    }
}
