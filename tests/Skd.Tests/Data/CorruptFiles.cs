namespace Skd.Tests.Data;

/// <summary>
/// Fuzz-style checks of a reader: a valid file's bytes with a few random bytes changed (and, one
/// time in four, cut short) must read or fail with a <see cref="DataFormatException"/> that names
/// the file: never another exception, a crash or a hang.
/// </summary>
internal static class CorruptFiles
{
    /// <param name="mutateWithin">Only the first bytes are changed (the header), when given.</param>
    public static void NeverCrash(byte[] valid, string extension, int seed, Action<string> read, int count = 200, int? mutateWithin = null)
    {
        string dir = Directory.CreateTempSubdirectory("skd-fuzz-").FullName;
        try
        {
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                byte[] bytes = (byte[])valid.Clone();
                for (int k = 0; k < 1 + random.Next(4); k++) bytes[random.Next(Math.Min(bytes.Length, mutateWithin ?? bytes.Length))] = (byte)random.Next(256);
                if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
                string path = Path.Combine(dir, $"fuzz{i}{extension}");
                File.WriteAllBytes(path, bytes);
                try { read(path); }
                catch (DataFormatException e) { Assert.Contains(path, e.Message); }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
