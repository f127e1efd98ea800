namespace Skd.Tests.Training;

/// <summary>
/// What log.jsonl and curves.png show about a self-KD run (issue #10, item 3): the self-teacher's
/// validation Dice beside the student's, each term's weight per epoch, τ, and each term's gradient
/// norm at the student's features; measuring the gradient norms changes no weight.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TrainingDiagnosticsTests() : TempFolder("skd-diagnostics-")
{
    private TrainConfig AcwSkd(int gradNormEvery) =>
        TinyData.Config(TinyData.Vessels(root), epochs: 3) with { Method = "acw-skd", GradNormEvery = gradNormEvery };

    [Fact]
    public void MeasuringGradientNormsEveryStepChangesNoWeight()
    {
        var measured = TrainingRun.Start(AcwSkd(gradNormEvery: 1), Path.Combine(root, "measured"));
        var plain = TrainingRun.Start(AcwSkd(gradNormEvery: 0), Path.Combine(root, "plain"));

        using var expected = Safetensors.Load(plain.LastPath);
        using var actual = Safetensors.Load(measured.LastPath);
        Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in expected.Tensors)
            Assert.True(TrainingRunTests.Bytes(tensor).SequenceEqual(TrainingRunTests.Bytes(actual.Tensors[name])), $"{name} differs when gradient norms are measured");
        var measuredLog = RunFolder.ReadLog(measured.LogPath);
        Assert.Equal(RunFolder.ReadLog(plain.LogPath).Select(r => (r.Total, r.ValDice)), measuredLog.Select(r => (r.Total, r.ValDice)));
        Assert.All(RunFolder.ReadLog(plain.LogPath), r => Assert.Null(r.GradNorms));

        foreach (var record in measuredLog)
        {
            var norms = record.GradNorms!;
            Assert.Equal([MethodLoss.Penultimate, AcwSkdMethod.AuxiliaryFeaturesName], norms.Keys);
            Assert.True(norms[MethodLoss.Penultimate]["seg"] > 0);
            Assert.Equal(0, norms[MethodLoss.Penultimate]["self_teacher"]);   // the FRM reads sg F (frm-input=detached)
            Assert.Equal(0, norms[MethodLoss.Penultimate]["aux"]);            // the auxiliary head sits on the stage before F
            Assert.True(norms[AcwSkdMethod.AuxiliaryFeaturesName]["aux"] > 0);
            Assert.Equal(record.Epoch > 1, norms[MethodLoss.Penultimate].ContainsKey("kd"));   // KD starts after the warm-up (E_w = 1)
        }
    }

    [Fact]
    public void TheLogHoldsTheSelfTeachersDiceTheTermWeightsAndTau()
    {
        var log = RunFolder.ReadLog(TrainingRun.Start(AcwSkd(gradNormEvery: 50), Path.Combine(root, "acw")).LogPath);
        Assert.All(log, r => Assert.InRange(r.SelfTeacherValDice!.Value, 0, 1));
        Assert.All(log, r => Assert.Equal(1.0, r.Scalars!["tau"]));
        Assert.All(log, r => Assert.Equal(["seg", "aux", "self_teacher", "kd", "cw", "relation"], r.Weights!.Keys));
        Assert.All(log, r => Assert.Equal(0.4, r.Weights!["aux"], 12));
        Assert.Equal(0, log[0].Weights!["kd"]);                       // the warm-up: 1 of 3 epochs
        Assert.True(log[2].Weights!["kd"] > log[1].Weights!["kd"] && log[1].Weights!["kd"] > 0);   // the ramp
        Assert.Equal(0.1 * log[2].Weights!["kd"], log[2].Weights!["cw"], 12);
        Assert.NotNull(log[0].GradNorms);                             // step 0 of the run
        Assert.Null(log[1].GradNorms);                                // steps 3..5: none is a multiple of 50

        var supervised = RunFolder.ReadLog(TrainingRun.Start(TinyData.Config(TinyData.Vessels(root), epochs: 1), Path.Combine(root, "supervised")).LogPath).Single();
        Assert.Null(supervised.SelfTeacherValDice);
        Assert.Null(supervised.Scalars);
        Assert.Equal([("ce", 0.5), ("dice", 0.5)], supervised.Weights!.Select(w => (w.Key, w.Value)));
    }

    [Fact]
    public void TheCurvesShowTheDiagnosticsInASecondRow()
    {
        var result = TrainingRun.Start(AcwSkd(gradNormEvery: 1), Path.Combine(root, "curves"));
        using var curves = ImageFile.Read(result.CurvesPath);
        // Top: loss, validation Dice (student and self-teacher). Bottom: weights and τ, gradient norms at F and at the auxiliary head's input.
        Assert.Equal([3, 2 * Charts.DefaultHeight, 3 * Charts.DefaultWidth], curves.Shape);
        var pixels = curves.Permute(1, 2, 0).Contiguous().ToArray<byte>();
        int width = 3 * Charts.DefaultWidth;
        // The self-teacher's line (the second series' colour) is in the validation panel, and lines are drawn in the bottom row.
        Assert.True(Count(pixels, width, Charts.SeriesColour(1), Charts.DefaultWidth, 2 * Charts.DefaultWidth, 0, Charts.DefaultHeight) > 20);
        Assert.True(Count(pixels, width, Charts.SeriesColour(0), 2 * Charts.DefaultWidth, width, Charts.DefaultHeight, 2 * Charts.DefaultHeight) > 20);
    }

    private static int Count(byte[] rgb, int width, Rgb colour, int x0, int x1, int y0, int y1)
    {
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int i = 3 * (y * width + x);
                if (rgb[i] == colour.R && rgb[i + 1] == colour.G && rgb[i + 2] == colour.B) n++;
            }
        return n;
    }
}
