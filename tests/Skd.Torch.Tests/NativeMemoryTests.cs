using Xunit.Abstractions;
using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>
/// Native memory stays flat over a long training run: no tensor handle outlives its step, and the
/// process's resident memory does not grow by more than <see cref="RssBoundMiB"/> MiB between
/// step 300 (after warm-up, when the allocator has its working set) and step 2,300.
/// </summary>
[Collection(SerialCollection.Name)]
public class NativeMemoryTests(ITestOutputHelper output)
{
    private const double RssBoundMiB = 24;

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public void TwoThousandTrainingStepsKeepNativeMemoryFlat()
    {
        torch.ManualSeed(3);
        using var net = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 8, 3, padding: 1), new ReLU(), new ConvTranspose2d(8, 8, 2, stride: 2), new Conv2d(8, 2, 1));
        using var x = DisposeScope.Detach(torch.Randn(4, 1, 32, 32));
        using var y = DisposeScope.Detach(x.Gt(0.5).Squeeze(1).Long());
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

        for (int i = 0; i < 300; i++) Step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long handles = torch.LiveTensorCount;
        long rss = ResidentBytes();
        for (int i = 300; i < 2300; i++) Step(i);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(handles, torch.LiveTensorCount);
        double grownMiB = (ResidentBytes() - rss) / (1024.0 * 1024.0);
        output.WriteLine($"handles {handles} → {torch.LiveTensorCount}; resident memory {rss / 1048576.0:F1} MiB, grew {grownMiB:F2} MiB; loss {firstLoss:F4} → {lastLoss:F4}");
        Assert.True(grownMiB < RssBoundMiB, $"resident memory grew by {grownMiB:F1} MiB over 2,000 steps (bound {RssBoundMiB} MiB)");
        Assert.True(lastLoss < firstLoss, $"the loss did not fall: {firstLoss} → {lastLoss}");
    }
}
