namespace Skd.Torch.Tests;

/// <summary>
/// Tests that need the process to themselves: they count the live native tensors or the resident
/// memory, or they reseed libtorch's global generator and compare what it draws. Every other test
/// class runs in parallel and allocates tensors and draws random numbers meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class SerialCollection
{
    public const string Name = "serial";
}
