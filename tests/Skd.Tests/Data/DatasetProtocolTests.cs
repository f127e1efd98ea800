namespace Skd.Tests.Data;

/// <summary>Each dataset protocol's choices of preprocessing, training defaults and scoring, and which datasets get which.</summary>
public sealed class DatasetProtocolTests() : TempFolder("skd-protocol-")
{
    [Fact]
    public void SynapseIsTransUNetsProtocolThroughout()
    {
        var p = DatasetProtocol.Synapse;
        var pre = p.Preprocessor(224);
        Assert.Equal((224, IntensityNormalization.None, InterpolationMode.Bicubic), (pre.Size, pre.Normalization, pre.ImageInterpolation));
        Assert.Equal(TrainingTask.Multiclass, p.TaskFor(2));                       // even a 2-class Synapse subset keeps TransUNet's defaults
        var e = p.Evaluation(batch: 5);
        Assert.Equal(new InferenceOptions(InferenceMode.Resize, Batch: 5), e.Inference);
        Assert.Equal(new MetricOptions(EmptyMaskPolicy.TransUNet), e.Metrics);
        Assert.Equal(Skd.Evaluation.MetricSpacing.Voxels, e.Spacing);
        Assert.True(p.FixesEvaluation);
    }

    [Fact]
    public void TheOtherProtocolsSkipAbsentClassesAndLeaveScoringToTheOptions()
    {
        foreach (var p in new[] { DatasetProtocol.NnUnetCt, DatasetProtocol.BinaryVessels, DatasetProtocol.Generic })
        {
            Assert.False(p.FixesEvaluation, p.Name);
            Assert.Equal(new MetricOptions(), p.Evaluation().Metrics);
            Assert.Equal(new InferenceOptions(), p.Evaluation().Inference);
            Assert.Equal(InterpolationMode.Bilinear, p.Preprocessor(64).ImageInterpolation);
        }
        Assert.Equal(IntensityNormalization.CtWindow, DatasetProtocol.NnUnetCt.Preprocessor(64).Normalization);
        Assert.Equal((TrainingTask.Binary, TrainingTask.Multiclass), (DatasetProtocol.NnUnetCt.TaskFor(2), DatasetProtocol.NnUnetCt.TaskFor(6)));
        Assert.Equal(IntensityNormalization.Auto, DatasetProtocol.BinaryVessels.Preprocessor(64).Normalization);
        Assert.Equal(TrainingTask.Binary, DatasetProtocol.BinaryVessels.TaskFor(2));
        Assert.Equal(IntensityNormalization.Auto, DatasetProtocol.Generic.Preprocessor(64).Normalization);
        Assert.Equal(TrainingTask.Multiclass, DatasetProtocol.Generic.TaskFor(4));
    }

    [Fact]
    public void EachDatasetGetsItsProtocolAndItsTrainingDefaults()
    {
        string vessels = Path.Combine(root, "vessels"), organs = Path.Combine(root, "organs");
        VesselGenerator.Write(vessels, 14, 32, seed: 1);
        OrganGenerator.Write(organs, 2, 32, 4, seed: 1);                               // nnU-Net raw, channel "CT", 6 classes
        Assert.Same(DatasetProtocol.BinaryVessels, DatasetProtocol.Of(SegmentationDataset.Open(vessels)));
        Assert.Same(DatasetProtocol.NnUnetCt, DatasetProtocol.Of(SegmentationDataset.Open(organs)));
        Assert.Equal(TrainingTask.Binary, TrainConfig.For(vessels).Task);
        Assert.Equal(TrainingTask.Multiclass, TrainConfig.For(organs).Task);

        string synapse = Directory.CreateDirectory(Path.Combine(root, "synapse")).FullName;
        Directory.CreateDirectory(Path.Combine(synapse, "test_vol_h5"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "case0001.npy.h5"), Path.Combine(synapse, "test_vol_h5", "case0001.npy.h5"));
        Assert.Same(DatasetProtocol.Synapse, DatasetProtocol.Of(SegmentationDataset.Open(synapse)));
    }

    [Fact]
    public void NamesParseAndAnUnknownOneListsThem()
    {
        Assert.Equal(["synapse", "nnunet-ct", "binary", "generic"], DatasetProtocol.All.Select(p => p.Name));
        Assert.Same(DatasetProtocol.Synapse, DatasetProtocol.Parse("Synapse"));
        var ex = Assert.Throws<ArgumentException>(() => DatasetProtocol.Parse("transunet"));
        Assert.Contains("unknown protocol 'transunet'; the protocols: synapse, nnunet-ct, binary, generic", ex.Message);
    }
}
