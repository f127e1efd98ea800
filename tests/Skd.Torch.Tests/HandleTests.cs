using F = Skd.Torch.Functional;

namespace Skd.Torch.Tests;

/// <summary>
/// A handle keeps its reference whichever way the native layer takes it (borrowed for a call,
/// copied into a list, an optional argument, an alias, an autograd function): a lost reference
/// would free memory still in use.
/// </summary>
[Collection(SerialCollection.Name)]
public class HandleTests
{
    [Fact]
    public void ArgumentsNeverStealTheHandlesReference()
    {
        long before = torch.LiveTensorCount;
        using var x = torch.Ones(1, 2, 4, 4);
        using var w = torch.Ones(3, 2, 3, 3);
        using var b = torch.Ones(3);
        for (int i = 0; i < 200; i++)
        {
            using var scope = new DisposeScope();
            F.Conv2d(x, w, b, padding: (1, 1));                  // optional argument
            torch.Cat([x, x, x], 1);                             // list argument
            F.BatchNorm(x, null, null, b.Narrow(0, 0, 2), null, training: true);
            F.GradientReversal(x, 0.5);                          // custom autograd function
            var alias = x.Alias();                               // a second handle
            alias.Dispose();
        }
        Assert.Equal(before + 3, torch.LiveTensorCount);
        using var check = new DisposeScope();
        Assert.Equal(54f, w.Sum().Item<float>());
        Assert.Equal(3f, b.Sum().Item<float>());
        Assert.Equal(32f, x.Sum().Item<float>());
    }

    [Fact]
    public void AnAliasOutlivesTheOriginal()
    {
        var original = Tensor.From(new[] { 1f, 2f, 3f });
        var alias = original.Alias();
        original.Dispose();
        Assert.Equal(new[] { 1f, 2f, 3f }, alias.ToArray<float>());
        alias.Dispose();
    }
}
