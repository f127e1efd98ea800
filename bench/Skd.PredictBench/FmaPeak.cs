using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Skd.PredictBench;

/// <summary>
/// This machine's peak rate of float32 multiply-accumulates on one core: ten independent chains of fused multiply-adds in
/// the widest vectors the CPU runs (512-bit with AVX-512, else 256-bit, else 128-bit), more chains than FMA latency × FMA
/// pipes (4 × 2 on current x64 cores) so that every pipe stays busy, timed in the process's CPU time so that a busy
/// machine's preemptions do not count. No engine runs a convolution's multiply-accumulates faster than this on one core.
/// </summary>
internal static class FmaPeak
{
    private const int Iterations = 20_000_000;

    /// <summary>
    /// Multiply-accumulates per second of CPU time (one fused multiply-add of a vector: one per float lane), the best of
    /// five runs (the process's other threads, the runtime's compiler and collector, add their CPU time to a run).
    /// </summary>
    public static double MacsPerSecond()
    {
        Widest(1_000);   // compiled before the timed runs
        return Enumerable.Range(0, 5).Max(_ =>
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            int lanes = Widest(Iterations);
            return (double)Iterations * 10 * lanes / (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
        });
    }

    /// <summary>Runs the chains <paramref name="iterations"/> times; returns the float lanes of a vector.</summary>
    private static int Widest(int iterations) =>
        Avx512F.IsSupported ? Run<Vector512<float>, Wide>(iterations)
        : Vector256.IsHardwareAccelerated ? Run<Vector256<float>, Middle>(iterations)
        : Run<Vector128<float>, Narrow>(iterations);

    /// <summary>Runs the chains in vectors <typeparamref name="V"/>; returns their float lanes.</summary>
    private static int Run<V, F>(int iterations) where F : IVector<V>
    {
        Sink = F.Sum(Chains<V, F>(iterations));
        return F.Lanes;
    }

    /// <summary>Where the chains' result goes, so that the compiler keeps them.</summary>
    private static float Sink;

    /// <summary>
    /// Ten chains a ← a·m + c, m just below 1 and c small (each settles near c / (1 − m) = 0.1: no overflow, no denormals),
    /// <paramref name="iterations"/> steps each; returns them combined.
    /// </summary>
    private static V Chains<V, F>(int iterations) where F : IVector<V>
    {
        V m = F.Create(0.999999f), c = F.Create(1e-7f), a0 = F.Create(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = F.Fma(a0, m, c); a1 = F.Fma(a1, m, c); a2 = F.Fma(a2, m, c); a3 = F.Fma(a3, m, c); a4 = F.Fma(a4, m, c);
            a5 = F.Fma(a5, m, c); a6 = F.Fma(a6, m, c); a7 = F.Fma(a7, m, c); a8 = F.Fma(a8, m, c); a9 = F.Fma(a9, m, c);
        }
        return F.Fma(F.Fma(F.Fma(F.Fma(a0, a1, a2), a3, a4), F.Fma(a5, a6, a7), a8), m, a9);
    }

    /// <summary>One vector width's operations, so that one loop serves all three (each width compiles its own copy).</summary>
    private interface IVector<V>
    {
        static abstract int Lanes { get; }
        static abstract V Create(float value);
        static abstract V Fma(V a, V b, V c);
        static abstract float Sum(V v);
    }

    private readonly struct Wide : IVector<Vector512<float>>
    {
        public static int Lanes => Vector512<float>.Count;
        public static Vector512<float> Create(float value) => Vector512.Create(value);
        public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
        public static float Sum(Vector512<float> v) => Vector512.Sum(v);
    }

    private readonly struct Middle : IVector<Vector256<float>>
    {
        public static int Lanes => Vector256<float>.Count;
        public static Vector256<float> Create(float value) => Vector256.Create(value);
        public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
        public static float Sum(Vector256<float> v) => Vector256.Sum(v);
    }

    private readonly struct Narrow : IVector<Vector128<float>>
    {
        public static int Lanes => Vector128<float>.Count;
        public static Vector128<float> Create(float value) => Vector128.Create(value);
        public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
        public static float Sum(Vector128<float> v) => Vector128.Sum(v);
    }
}
