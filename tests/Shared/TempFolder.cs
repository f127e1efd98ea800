namespace Skd.Tests.Shared;

/// <summary>
/// A test class's own temporary folder, <see cref="root"/>: created for each test (xunit makes an
/// instance per test) and deleted with everything in it after the test.
/// </summary>
/// <param name="prefix">The start of the folder's name, saying which tests made it (skd-compare-).</param>
public abstract class TempFolder(string prefix) : IDisposable
{
    /// <summary>The folder.</summary>
    protected readonly string root = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(root, true);
        GC.SuppressFinalize(this);
    }
}
