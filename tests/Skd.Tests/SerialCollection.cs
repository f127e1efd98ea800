namespace Skd.Tests;

/// <summary>
/// Tests that need the process to themselves: they count the live native tensors, or reseed
/// libtorch's global generator. Every other test class runs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class SerialCollection
{
    public const string Name = "serial";
}
