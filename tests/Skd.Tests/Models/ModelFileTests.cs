namespace Skd.Tests.Models;

[Collection(SerialCollection.Name)]
public sealed class ModelFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("skd-model-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ModelInfo Info(UNetConfig config) => new()
    {
        Network = config, Size = 64, Normalization = IntensityNormalization.CtWindow, ImageInterpolation = InterpolationMode.Bicubic,
        ClassNames = ["background", "liver", "spleen"], Method = "acw-skd",
    };

    [Fact]
    public void AModelRoundTripsWithItsDescription()
    {
        torch.ManualSeed(1);
        var config = new UNetConfig(1, 3, 4, 2);
        using var net = new UNet(config);
        var path = Path.Combine(dir, "m.safetensors");
        ModelFile.Save(path, net, Info(config));

        var read = ModelFile.ReadInfo(path);
        Assert.Equal(Info(config) with { ClassNames = read.ClassNames }, read);
        Assert.Equal(["background", "liver", "spleen"], read.ClassNames);
        var (loaded, info) = ModelFile.Load(path);
        using (loaded)
        {
            Assert.False(loaded.Training);
            Assert.Equal(IntensityNormalization.CtWindow, info.Preprocessor().Normalization);
            foreach (var ((k, a), (_, b)) in net.StateDict().Zip(loaded.StateDict()))
                Assert.True(a.To(DType.Float64).ToArray<double>().SequenceEqual(b.To(DType.Float64).ToArray<double>()), k);
        }
    }

    [Fact]
    public void ATrainingCheckpointLoadsItsStudent()
    {
        var config = new UNetConfig(1, 2, 4, 2);
        using var net = new UNet(config);
        using var extra = torch.Zeros(3);
        var path = Path.Combine(dir, "last.safetensors");
        var tensors = net.StateDict().Select(kv => new KeyValuePair<string, Tensor>("student." + kv.Key, kv.Value))
            .Append(new("aux.weight", extra));
        SafetensorsFile.Save(path, tensors, new Dictionary<string, string> { [ModelFile.MetadataKey] = System.Text.Json.JsonSerializer.Serialize(Info(config), ModelInfo.Json) });
        var (loaded, _) = ModelFile.Load(path);
        using (loaded) Assert.Equal(net.ParameterCount, loaded.ParameterCount);
        Assert.Equal(path, ModelFile.Resolve(dir));
    }

    [Fact]
    public void APlainSafetensorsFileIsNotAModel()
    {
        var path = Path.Combine(dir, "plain.safetensors");
        using var t = torch.Zeros(2);
        SafetensorsFile.Save(path, [new("x", t)]);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a model file", e.Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheDescriptionAreNamed()
    {
        using var net = new UNet(new UNetConfig(1, 2, 4, 2));
        var path = Path.Combine(dir, "lie.safetensors");
        ModelFile.Save(path, net, Info(new UNetConfig(1, 2, 8, 2)));
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains("do not match", e.Message);
    }

    [Theory]
    [InlineData(1, 2, 64, 2, "'inc.double_conv.0.weight' should be [64, 1, 3, 3], the file has [4, 1, 3, 3]")]
    [InlineData(1, 2, 4, 4, "'down4.maxpool_conv.1.double_conv.0.weight' should be [64, 32, 3, 3], the file has no such tensor")]
    [InlineData(1, 9, 4, 2, "'outc.conv.weight' should be [9, 4, 1, 1], the file has [2, 4, 1, 1]")]
    [InlineData(3, 2, 4, 2, "'inc.double_conv.0.weight' should be [4, 3, 3, 3], the file has [4, 1, 3, 3]")]
    public void ADescriptionLargerThanItsWeightsIsRefusedBeforeTheNetworkIsBuilt(int inChannels, int classes, int width, int depth, string problem)
    {
        using var net = new UNet(new UNetConfig(1, 2, 4, 2));
        var path = Path.Combine(dir, "bomb.safetensors");
        var described = new UNetConfig(inChannels, classes, width, depth);
        ModelFile.Save(path, net, Info(described));
        long live = torch.LiveTensorCount;
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Equal(live, torch.LiveTensorCount);
        Assert.Equal($"{path}: the weights do not match the U-Net its metadata describes ({inChannels} input channel(s), {classes} classes, width {width}, depth {depth}): {problem}", e.Message);
    }

    [Fact]
    public void AMissingRunOrFileIsNamed()
    {
        Assert.Contains("no such model file", Assert.Throws<FileNotFoundException>(() => ModelFile.Resolve(Path.Combine(dir, "nope"))).Message);
        Assert.Contains("no best.safetensors", Assert.Throws<FileNotFoundException>(() => ModelFile.Resolve(dir)).Message);
    }
}
