namespace Skd.Cuda.Tests;

/// <summary>
/// The GPU the CUDA category runs on. These tests run only when asked for (the category is filtered out of the
/// default run), so a machine without a GPU fails them, saying why, rather than skipping them.
/// </summary>
internal static class CudaMachine
{
    /// <summary>cuda:0; a failed test naming what is missing when libtorch sees no GPU.</summary>
    public static Device Gpu
    {
        get
        {
            if (!torch.CudaIsAvailable)
                Assert.Fail($"the CUDA tests need an NVIDIA GPU and native/ built against a CUDA libtorch (scripts/gpu-check.sh does both); " +
                            $"libtorch {torch.Version} here sees no GPU");
            return Device.Cuda(0);
        }
    }
}
