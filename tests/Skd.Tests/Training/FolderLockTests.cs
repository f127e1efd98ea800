using System.Diagnostics;

namespace Skd.Tests.Training;

/// <summary>FolderLock: one command per folder, and no stale lock after a kill (the operating system's flock).</summary>
public sealed class FolderLockTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skd-lock-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void ASecondHolderIsRefusedUntilTheFirstReleases()
    {
        using (FolderLock.Acquire(dir))
        {
            var e = Assert.Throws<IOException>(() => FolderLock.Acquire(dir));
            Assert.Contains($"{dir} is in use by another skd command", e.Message);
        }
        FolderLock.Acquire(dir).Dispose();
    }

    [Fact]
    public void ALockHeldByAKilledProcessIsReleased()
    {
        // flock(1) holds the same kind of lock as .NET's FileShare.None in another process (not passed on to its sleep), which is then killed.
        string lockFile = Path.Combine(dir, FolderLock.FileName);
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "60"]))!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Held() && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(Held(), "flock(1) did not take the lock");
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        FolderLock.Acquire(dir).Dispose();

        bool Held()
        {
            try
            {
                FolderLock.Acquire(dir).Dispose();
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }
    }
}
