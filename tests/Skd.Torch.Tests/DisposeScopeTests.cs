namespace Skd.Torch.Tests;

[Collection(SerialCollection.Name)]
public class DisposeScopeTests
{
    [Fact]
    public void ScopeFreesEverythingCreatedInside()
    {
        long before = torch.LiveTensorCount;
        Tensor kept;
        using (var scope = new DisposeScope())
        {
            var a = torch.Ones(3);
            var b = a * 2 + 1;
            kept = scope.MoveToOuter(b.Sum());
            Assert.True(scope.Count >= 3);
        }
        Assert.Equal(before + 1, torch.LiveTensorCount);
        Assert.Equal(9.0, kept.Item());
        kept.Dispose();
        Assert.Equal(before, torch.LiveTensorCount);
    }

    [Fact]
    public void MoveToOuterHandsTheTensorToTheEnclosingScope()
    {
        long before = torch.LiveTensorCount;
        using (var outer = new DisposeScope())
        {
            Tensor t;
            using (var inner = new DisposeScope())
                t = inner.MoveToOuter(torch.Ones(2));
            Assert.False(t.IsDisposed);
            Assert.Equal(1, outer.Count);
        }
        Assert.Equal(before, torch.LiveTensorCount);
    }

    [Fact]
    public void DetachedTensorsOutliveTheScope()
    {
        Tensor t;
        using (new DisposeScope()) t = DisposeScope.Detach(torch.Ones(2));
        Assert.False(t.IsDisposed);
        t.Dispose();
    }

    [Fact]
    public void ScopesAreInnermostFirst()
    {
        var outer = new DisposeScope();
        var inner = new DisposeScope();
        Assert.Same(inner, DisposeScope.Current);
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        Assert.Same(outer, DisposeScope.Current);
        outer.Dispose();
        Assert.Null(DisposeScope.Current);
    }
}
