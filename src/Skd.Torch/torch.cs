// The class is named as PyTorch users write it (torch.Zeros, torch.NoGrad); a PascalCase
// "Torch" would be hidden by the Skd.Torch namespace inside every Skd.* namespace.
#pragma warning disable IDE1006, CS8981
using System.Runtime.InteropServices;
using System.Text;

namespace Skd.Torch;

/// <summary>
/// Tensor creation and the runtime: seeding, threads, devices, gradient mode, version and BLAS.
/// Names follow <c>torch.*</c>.
/// </summary>
public static class torch
{
    private static unsafe Tensor Create(FactoryKind kind, long[] shape, DType dtype, Device? device, double value = 0, double low = 0, double high = 0)
    {
        Device d = device ?? Device.Cpu;
        d.EnsureAvailable();
        fixed (long* s = shape)
            return Tensor.Wrap(Native.skd_factory((int)kind, s, shape.Length, (int)dtype, (int)d.Type, d.Index, value, low, high));
    }

    public static Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Empty, shape, dtype, device);
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Zeros, shape, dtype, device);
    public static Tensor Zeros(params long[] shape) => Zeros(shape, DType.Float32);
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Ones, shape, dtype, device);
    public static Tensor Ones(params long[] shape) => Ones(shape, DType.Float32);
    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Full, shape, dtype, device, value);
    /// <summary>Samples of U[0, 1).</summary>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Rand, shape, dtype, device);
    public static Tensor Rand(params long[] shape) => Rand(shape, DType.Float32);
    /// <summary>Samples of N(0, 1).</summary>
    public static Tensor Randn(long[] shape, DType dtype = DType.Float32, Device? device = null) => Create(FactoryKind.Randn, shape, dtype, device);
    public static Tensor Randn(params long[] shape) => Randn(shape, DType.Float32);
    /// <summary>Integers uniform in [low, high).</summary>
    public static Tensor RandInt(long low, long high, long[] shape, DType dtype = DType.Int64, Device? device = null) =>
        Create(FactoryKind.RandInt, shape, dtype, device, 0, low, high);

    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        d.EnsureAvailable();
        return Tensor.Wrap(Native.skd_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }
    public static Tensor Arange(long end, DType dtype = DType.Int64) => Arange(0, end, 1, dtype);

    public static Tensor ZerosLike(Tensor t) => Tensor.Wrap(Native.skd_like((int)FactoryKind.Zeros, t.Handle, 0));
    public static Tensor OnesLike(Tensor t) => Tensor.Wrap(Native.skd_like((int)FactoryKind.Ones, t.Handle, 0));
    public static Tensor FullLike(Tensor t, double value) => Tensor.Wrap(Native.skd_like((int)FactoryKind.Full, t.Handle, value));
    public static Tensor RandLike(Tensor t) => Tensor.Wrap(Native.skd_like((int)FactoryKind.Rand, t.Handle, 0));
    public static Tensor RandnLike(Tensor t) => Tensor.Wrap(Native.skd_like((int)FactoryKind.Randn, t.Handle, 0));

    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        IntPtr* hs = stackalloc IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++) hs[i] = tensors[i].Handle;
        return Tensor.Wrap(Native.skd_cat(hs, tensors.Count, dim));
    }

    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        IntPtr* hs = stackalloc IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++) hs[i] = tensors[i].Handle;
        return Tensor.Wrap(Native.skd_stack(hs, tensors.Count, dim));
    }

    /// <summary>Elementwise <paramref name="ifTrue"/> where <paramref name="condition"/> holds, else <paramref name="ifFalse"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor ifTrue, Tensor ifFalse) => condition.Where(ifTrue, ifFalse);

    // ---- runtime -------------------------------------------------------------------------

    /// <summary>Seeds libtorch's generators (initialisation, dropout, random tensors).</summary>
    public static void ManualSeed(ulong seed) => Native.skd_manual_seed(seed);

    /// <summary>Intra-op threads libtorch uses for its kernels.</summary>
    public static int NumThreads
    {
        get => Native.skd_get_num_threads();
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be at least 1");
            Native.skd_set_num_threads(value);
        }
    }

    /// <summary>libtorch's version (TORCH_VERSION of the build the shim was compiled against).</summary>
    public static unsafe string Version
    {
        get
        {
            byte* buffer = stackalloc byte[64];
            int n = Native.skd_torch_version(buffer, 64);
            return Encoding.UTF8.GetString(buffer, Math.Min(n, 63));
        }
    }

    private static int? cudaDeviceCount;

    /// <summary>Number of CUDA devices this libtorch build can use (0 for a CPU build).</summary>
    public static int CudaDeviceCount => cudaDeviceCount ??= Native.skd_cuda_is_available() != 0 ? Native.skd_cuda_device_count() : 0;

    public static bool CudaIsAvailable => CudaDeviceCount > 0;

    /// <summary>Every device this process can use.</summary>
    public static IReadOnlyList<Device> Devices =>
        [Device.Cpu, .. Enumerable.Range(0, CudaDeviceCount).Select(Device.Cuda)];

    /// <summary>Native tensor handles alive in this process (every owner included): a leak detector.</summary>
    public static long LiveTensorCount => Native.skd_live_tensors();

    /// <summary>
    /// Bytes of freed CPU blocks (1 MiB and more) kept for reuse by the native caching allocator,
    /// which spares a training loop the page faults of getting the same buffers from the system
    /// every step (at most 1 GiB idle; the SKD_CPU_CACHE_MB environment variable sets the bound, 0
    /// turns the cache off, reported as −1).
    /// </summary>
    public static long CpuCacheIdleBytes => Native.skd_cpu_cache_idle_bytes();

    /// <summary>Returns every idle cached CPU block to the system (as torch.cuda.empty_cache does for the GPU).</summary>
    public static void EmptyCpuCache() => Native.skd_cpu_cache_empty();

    public static bool IsGradEnabled => Native.skd_grad_enabled() != 0;

    /// <summary>
    /// ∂<paramref name="output"/>/∂<paramref name="input"/> for a scalar output, as
    /// <c>torch.autograd.grad(output, input, retain_graph=retainGraph, allow_unused=True)</c>: no
    /// parameter's accumulated gradient changes. Null when the output does not depend on the input.
    /// With <paramref name="retainGraph"/> the graph stays for a later backward through it.
    /// </summary>
    public static Tensor? Grad(Tensor output, Tensor input, bool retainGraph = true)
    {
        IntPtr g = Native.CheckOptional(Native.skd_autograd_grad(output.Handle, input.Handle, retainGraph ? 1 : 0));
        return g == IntPtr.Zero ? null : new Tensor(g);
    }

    /// <summary>Disables gradient recording on this thread until the returned guard is disposed.</summary>
    public static IDisposable NoGrad() => new GradModeGuard(false);

    /// <summary>Enables gradient recording on this thread until the returned guard is disposed.</summary>
    public static IDisposable EnableGrad() => new GradModeGuard(true);

    private sealed class GradModeGuard : IDisposable
    {
        private readonly int previous;
        private bool disposed;

        public GradModeGuard(bool enabled)
        {
            previous = Native.skd_grad_enabled();
            Native.skd_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Native.skd_set_grad_enabled(previous);
        }
    }

    /// <summary>
    /// The BLAS library this process actually loaded (libtorch calls BLAS through libblas.so.3,
    /// which Debian's alternatives point at the reference BLAS or at OpenBLAS), read from
    /// /proc/self/maps. "unknown" where that file does not exist.
    /// </summary>
    public static string BlasLibrary
    {
        get
        {
            _ = Version; // make sure the shim, libtorch and its BLAS are loaded
            const string maps = "/proc/self/maps";
            if (!File.Exists(maps)) return "unknown";
            var paths = File.ReadLines(maps)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length >= 6)
                .Select(parts => parts[5])
                .Where(p => p.Contains("blas", StringComparison.OrdinalIgnoreCase) || p.Contains("libmkl", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            if (paths.Count == 0) return "none loaded";
            string joined = string.Join(", ", paths);
            string kind = joined.Contains("openblas") ? "OpenBLAS" : joined.Contains("mkl") ? "MKL" :
                joined.Contains("blis") ? "BLIS" : joined.Contains("atlas") ? "ATLAS" : "reference BLAS (slow: install libopenblas0-pthread)";
            return $"{kind} ({joined})";
        }
    }
}
