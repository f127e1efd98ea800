namespace Skd.Torch.Tests;

[Collection(SerialCollection.Name)]
public class SeedingTests
{
    [Fact]
    public void SeedingMakesRandomTensorsRepeatable()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(42);
        var a = torch.Randn(5).ToArray<float>();
        torch.ManualSeed(42);
        Assert.Equal(a, torch.Randn(5).ToArray<float>());
        var ints = torch.RandInt(0, 3, [1000]);
        Assert.True(ints.Ge(0).All().Item<bool>() && ints.Lt(3).All().Item<bool>());
    }
}
