namespace Skd.Tests.Distillation;

/// <summary>The frozen last-epoch teacher of dskd and ps-kd: what it copies, that it stays frozen, that it resumes exactly.</summary>
[Collection(SerialCollection.Name)]
public class EpochSnapshotTests
{
    private const string Snapshot = "snapshot.";

    private static Dictionary<string, Tensor> State(SegmentationMethod method) => method.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Copies of the snapshot's tensors, by the key of the tensor each copies (<c>student.*</c>, <c>side_heads.*</c>).</summary>
    private static Dictionary<string, Tensor> SnapshotValues(SegmentationMethod method) => method.StateDict()
        .Where(kv => kv.Key.StartsWith(Snapshot, StringComparison.Ordinal) && kv.Key != Snapshot + "epoch")
        .ToDictionary(kv => kv.Key[Snapshot.Length..], kv => kv.Value.Clone());

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = new DisposeScope();
        return a.Shape.SequenceEqual(b.Shape) && a.Eq(b).All().Item() != 0;
    }

    [Theory]
    [InlineData("dskd", 2)]
    [InlineData("ps-kd", 4)]
    public void TheSnapshotIsTheWeightsAtEpochStartAndStaysFrozen(string name, int classes)
    {
        using var batch = new SelfKdBatch(classes);
        using var method = SelfKdBatch.Create(name, classes);
        using var optimizer = new Adam(method.TrainableParameters(), lr: 1e-2);
        method.BeginEpoch(0, 3);
        Assert.Equal(-1, State(method)[Snapshot + "epoch"].Item<long>());
        batch.Train(method, optimizer, 2, epoch: 0, epochs: 3);

        method.BeginEpoch(1, 3);
        var state = State(method);
        Assert.Equal(1, state[Snapshot + "epoch"].Item<long>());
        var taken = SnapshotValues(method);
        Assert.Contains("student.inc.double_conv.0.weight", taken.Keys);
        Assert.Contains("student.inc.double_conv.1.running_mean", taken.Keys);
        if (name == "dskd") Assert.Contains("side_heads.up1.weight", taken.Keys);
        Assert.All(taken, kv => Assert.True(Same(kv.Value, state[kv.Key]), $"{kv.Key} was not copied"));

        // frozen: out of the optimiser's parameters, no gradient, unchanged by training steps
        var trainable = method.TrainableParameters().ToHashSet(ReferenceEqualityComparer.Instance);
        var frozen = method.NamedParameters().Where(p => p.Name.StartsWith(Snapshot, StringComparison.Ordinal)).Select(p => p.Parameter).ToList();
        Assert.NotEmpty(frozen);
        Assert.All(frozen, p => Assert.DoesNotContain(p, trainable));
        Assert.Equal(method.NamedParameters().Count() - frozen.Count, trainable.Count);
        using (var scope = new DisposeScope())
        {
            method.ZeroGrad();
            batch.Loss(method, 1, 3).Total.Backward();
            Assert.All(frozen, p => Assert.Null(p.Grad));
            Assert.NotNull(method.Student.Parameters().First().Grad);
        }
        batch.Train(method, optimizer, 2, epoch: 1, epochs: 3);
        state = State(method);
        Assert.All(taken, kv => Assert.True(Same(kv.Value, state[Snapshot + kv.Key]), $"{Snapshot}{kv.Key} changed in training"));
        Assert.False(Same(taken["student.inc.double_conv.0.weight"], state["student.inc.double_conv.0.weight"]));

        // a resume in the middle of epoch 1 keeps the snapshot of the checkpoint
        using var resumed = SelfKdBatch.Create(name, classes);
        resumed.LoadStateDict(state);
        resumed.BeginEpoch(1, 3);
        var resumedState = State(resumed);
        Assert.All(taken, kv => Assert.True(Same(kv.Value, resumedState[Snapshot + kv.Key]), $"{Snapshot}{kv.Key} was retaken on resume"));
        using (var scope = new DisposeScope())
            Assert.Equal(batch.Loss(method, 1, 3).Total.Item(), batch.Loss(resumed, 1, 3).Total.Item(), 6);

        // the next epoch takes the weights then
        method.BeginEpoch(2, 3);
        state = State(method);
        Assert.True(Same(state["student.inc.double_conv.0.weight"], state[Snapshot + "student.inc.double_conv.0.weight"]));
        foreach (var t in taken.Values) t.Dispose();
    }

    [Fact]
    public void ALossInALaterEpochWithoutBeginEpochFails()
    {
        using var batch = new SelfKdBatch(2);
        using var method = SelfKdBatch.Create("dskd", 2);
        method.BeginEpoch(1, 3);
        using var scope = new DisposeScope();
        Assert.Contains("call BeginEpoch(2)", Assert.Throws<InvalidOperationException>(() => batch.Loss(method, 2, 3)).Message);
    }

    [Fact]
    public void TheTeacherRunsInEvaluationModeAndLeavesItsStatisticsAlone()
    {
        using var batch = new SelfKdBatch(4);
        using var method = SelfKdBatch.Create("ps-kd", 4);
        method.Train();
        method.BeginEpoch(1, 2);
        var before = SnapshotValues(method);
        using (var scope = new DisposeScope()) batch.Loss(method, 1);
        var state = State(method);
        Assert.All(before, kv => Assert.True(Same(kv.Value, state[Snapshot + kv.Key]), $"{kv.Key} changed by the teacher's forward pass"));
        Assert.True(method.Student.Training);
        foreach (var t in before.Values) t.Dispose();
    }

    [Theory]
    [InlineData("dskd")]
    [InlineData("ps-kd")]
    public void TheTeacherRunsInTheFasterFormatWhateverTheStudents(string name)
    {
        using var batch = new SelfKdBatch(4);
        using var method = SelfKdBatch.Create(name, 4);
        method.Train();
        method.To(MemoryFormat.Contiguous);
        method.BeginEpoch(1, 2);
        using (var scope = new DisposeScope()) batch.Loss(method, 1);
        var snapshot = method.NamedModules().Single(m => m.Name == "snapshot").Module;
        Assert.All(snapshot.NamedModules(), m => Assert.Equal(MemoryFormats.Default, m.Module.MemoryFormat));
        Assert.All(snapshot.Parameters().Where(p => p.Dim == 4), p => Assert.True(p.IsContiguousIn(MemoryFormats.Default)));
        Assert.Equal(MemoryFormat.Contiguous, method.Student.MemoryFormat);
        Assert.All(method.Student.Parameters().Where(p => p.Dim == 4), p => Assert.True(p.IsContiguous));
    }
}
