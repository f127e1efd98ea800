using System.Runtime.InteropServices;
using Xunit.Abstractions;
using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>
/// Native memory stays flat over a long training run, in both memory formats, sampled every 1,000 of the 10,000
/// steps after a warm-up of 500 (when the allocators have their working set): no tensor handle outlives its step,
/// the native heap in use (glibc's mallinfo2: what libtorch, its caching CPU allocator and the shim hold) grows by
/// less than <see cref="NativeBoundMiB"/> MiB, and the process's resident memory by less than <see cref="RssBoundMiB"/>
/// MiB (resident memory also counts the managed heap's pages, which the first test of a process touches for the first
/// time as it runs). Tiny tensors keep it fast.
/// </summary>
[Collection(SerialCollection.Name)]
public partial class NativeMemoryTests(ITestOutputHelper output)
{
    // A leak of one kilobyte a step would pass 8 MiB over the 10,000 steps; the runtime's own allocations (JIT, GC
    // bookkeeping) move the process's native heap by a few MiB either way meanwhile. A leaked handle is caught exactly.
    private const double NativeBoundMiB = 8, RssBoundMiB = 24;
    private const int WarmUp = 500, Steps = 10_000, SampleEvery = 1000;

    /// <summary>glibc's struct mallinfo2: every field a size_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [LibraryImport("libc")]
    private static partial MallInfo2 mallinfo2();

    /// <summary>Bytes the native heap has handed out and not taken back: in-use small blocks plus mmap'ed large ones.</summary>
    private static double NativeInUseMiB()
    {
        var info = mallinfo2();
        return ((double)info.UordBlks + info.HBlkHd) / 1048576.0;
    }

    private static double ResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Theory]
    [InlineData(MemoryFormat.Contiguous)]
    [InlineData(MemoryFormat.ChannelsLast)]
    public void TenThousandTrainingStepsKeepNativeMemoryFlat(MemoryFormat format)
    {
        torch.ManualSeed(3);
        using var net = new Sequential(
            new Conv2d(2, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 4, 3, padding: 1), new ReLU(), new ConvTranspose2d(4, 4, 2, stride: 2), new Conv2d(4, 2, 1));
        net.To(format);
        using var x = DisposeScope.Detach(torch.Randn(2, 2, 8, 8).Contiguous(format));
        using var y = DisposeScope.Detach(x.Select(1, 0).Gt(0.5).Long());
        var parameters = net.Parameters().ToList();

        double firstLoss = 0, lastLoss = 0;
        void Step(int i)
        {
            using var scope = new DisposeScope();
            var logits = net.Forward(x);
            var loss = F.CrossEntropy(logits, y) + F.MseLoss(logits.Softmax(1).Select(1, 1), y.Float());
            loss.Backward();
            using (torch.NoGrad())
                foreach (var p in parameters)
                {
                    p.Sub_(p.Grad!, alpha: 0.05);
                    p.Grad = null;
                }
            if (i == 0) firstLoss = loss.Item();
            lastLoss = loss.Item();
        }

        for (int i = 0; i < WarmUp; i++) Step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long handles = torch.LiveTensorCount;
        double native = NativeInUseMiB(), resident = ResidentMiB();
        var nativeGrowth = new List<double>();
        var residentGrowth = new List<double>();
        for (int i = 0; i < Steps; i++)
        {
            Step(WarmUp + i);
            if ((i + 1) % SampleEvery != 0) continue;
            nativeGrowth.Add(NativeInUseMiB() - native);
            residentGrowth.Add(ResidentMiB() - resident);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        string Row(List<double> mib) => string.Join(" ", mib.Select(m => m.ToString("F2")));
        output.WriteLine($"{format.Name()}: handles {handles} → {torch.LiveTensorCount}; loss {firstLoss:F4} → {lastLoss:F4}; growth every {SampleEvery:N0} steps, " +
                         $"native heap in use (of {native:F1} MiB): {Row(nativeGrowth)}; resident (of {resident:F1} MiB): {Row(residentGrowth)}");
        Assert.Equal(handles, torch.LiveTensorCount);
        Assert.True(nativeGrowth.Max() < NativeBoundMiB, $"the native heap grew by {nativeGrowth.Max():F2} MiB over {Steps:N0} steps in {format.Name()} (bound {NativeBoundMiB} MiB)");
        Assert.True(residentGrowth.Max() < RssBoundMiB, $"resident memory grew by {residentGrowth.Max():F1} MiB over {Steps:N0} steps in {format.Name()} (bound {RssBoundMiB} MiB)");
        Assert.True(lastLoss < firstLoss, $"the loss did not fall: {firstLoss} → {lastLoss}");
    }
}
