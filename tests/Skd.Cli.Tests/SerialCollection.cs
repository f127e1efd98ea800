namespace Skd.Cli.Tests;

/// <summary>Tests that reseed libtorch's global generator in the test process (to write model files); every other test class runs in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class SerialCollection
{
    public const string Name = "serial";
}
