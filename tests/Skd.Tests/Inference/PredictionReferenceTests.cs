using System.IO.Compression;

namespace Skd.Tests.Inference;

/// <summary>
/// Prediction as nnU-Net users expect it, against numpy/scipy/PyTorch references (Fixtures/make_prediction_fixtures.py):
/// the largest-component filter against scipy.ndimage.label, mirroring against the same U-Net in PyTorch and against
/// explicit flips in both engines and both modes, the .npz writer against numpy's bytes.
/// </summary>
[Collection(SerialCollection.Name)]
public class PredictionReferenceTests : IDisposable
{
    private static readonly JsonElement Fx = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "prediction_reference.json"))).RootElement;
    private readonly string root = Directory.CreateTempSubdirectory("skd-prediction-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    private static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static TheoryData<int> ComponentCases() => [.. Enumerable.Range(0, Fx.GetProperty("largest_component").GetArrayLength())];

    [Theory]
    [MemberData(nameof(ComponentCases))]
    public void TheLargestComponentFilterIsScipysFaceConnectedOne(int index)
    {
        using var scope = new DisposeScope();
        var c = Fx.GetProperty("largest_component")[index];
        var shape = Longs(c.GetProperty("shape"));
        var labels = Tensor.From(Longs(c.GetProperty("labels")), shape);
        var expected = Longs(c.GetProperty("expected"));
        var actual = LargestComponent.Keep(labels, c.GetProperty("classes").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(DType.Int64, actual.DType);
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(expected, actual.ToArray<long>());
        Assert.NotEqual(expected, labels.ToArray<long>());   // the case removes something
    }

    [Fact]
    public void TheFilterKeepsTheIntegerTypeAndRefusesProbabilities()
    {
        using var scope = new DisposeScope();
        var labels = Tensor.From(new byte[] { 1, 0, 1, 1 }, 1, 1, 4);
        var kept = LargestComponent.Keep(labels, [1]);
        Assert.Equal(DType.UInt8, kept.DType);
        Assert.Equal(new byte[] { 0, 0, 1, 1 }, kept.ToArray<byte>());
        var e = Assert.Throws<ArgumentException>(() => LargestComponent.Keep(torch.Zeros([1, 2, 2]), [1]));
        Assert.Contains("integer label map (D, H, W)", e.Message);
    }

    /// <summary>The tiny U-Net of make_unet_fixture.py (torch.manual_seed(0)) and the fixture's 16×16 input as a case.</summary>
    private static (UNet Network, ModelInfo Info, LoadedCase Case) ReferenceModel()
    {
        var m = Fx.GetProperty("mirroring");
        torch.ManualSeed(0);
        var config = new UNetConfig(1, 3, Width: 4, Depth: 2);
        var network = new UNet(config);
        var info = new ModelInfo { Network = config, Size = 16, Normalization = IntensityNormalization.None, ClassNames = ["a", "b", "c"] };
        var image = DisposeScope.Detach(Tensor.From(Floats(m.GetProperty("x")), 1, 1, 16, 16));
        return (network, info, new LoadedCase { Files = new CaseFiles("x", ["x.png"], null, CaseStorage.Image2D), Image = image });
    }

    [Theory]
    [InlineData(InferenceEngineKind.Torch)]
    [InlineData(InferenceEngineKind.Onnx)]
    public void MirroringAveragesTheSoftmaxAsPyTorchDoes(InferenceEngineKind kind)
    {
        using var scope = new DisposeScope();
        var (network, info, c) = ReferenceModel();
        using var _ = network;
        using var __ = c;
        var m = Fx.GetProperty("mirroring");
        var plainReference = Tensor.From(Floats(m.GetProperty("plain")), 3, 1, 16, 16);      // (1, K, H, W) is (K, D, H, W) for D = 1
        var mirroredReference = Tensor.From(Floats(m.GetProperty("mirrored")), 3, 1, 16, 16);
        Assert.True((mirroredReference - plainReference).Abs().Max().Item() > 1e-3);    // mirroring changes the probabilities here
        double tolerance = kind == InferenceEngineKind.Torch ? 1e-5 : 1e-4;
        foreach (var (mirror, reference) in new[] { (false, plainReference), (true, mirroredReference) })
        {
            IInferenceEngine engine = kind == InferenceEngineKind.Torch ? new TorchEngine(network, ownsNetwork: false) : OnnxParityTests.OnnxEngine(network, info, new OnnxExportOptions());
            using var predictor = new Predictor(engine, info, new InferenceOptions(Mirror: mirror));
            using var prediction = predictor.PredictWithProbabilities(c);
            double difference = (prediction.Probabilities! - reference).Abs().Max().Item();
            Assert.True(difference < tolerance, $"mirror {mirror}: probabilities differ from PyTorch's by {difference:E2}");
            Assert.True(prediction.Labels.Eq(prediction.Probabilities!.Argmax(0)).All().Item<bool>());
        }
    }

    /// <summary>
    /// Resize mode at a whole multiple of the model's size (nearest upsampling by 2 and 3 commutes with flips) and
    /// sliding windows at an odd size: the mirrored prediction is the mean of the plain predictions of the flipped case, flipped back.
    /// </summary>
    [Theory]
    [InlineData(InferenceEngineKind.Torch, InferenceMode.Resize, 32, 48)]
    [InlineData(InferenceEngineKind.Onnx, InferenceMode.Resize, 32, 48)]
    [InlineData(InferenceEngineKind.Torch, InferenceMode.SlidingWindow, 37, 53)]
    [InlineData(InferenceEngineKind.Onnx, InferenceMode.SlidingWindow, 37, 53)]
    public void MirroringIsTheMeanOfExplicitlyFlippedPredictions(InferenceEngineKind kind, InferenceMode mode, long height, long width)
    {
        using var scope = new DisposeScope();
        var (network, trained) = OnnxParityTests.TrainedLookingUNet(inChannels: 1, classes: 3, width: 8, depth: 3, seed: 21);
        using var _ = network;
        var info = trained with { Size = 16 };
        torch.ManualSeed(22);
        var image = torch.Randn(1, 2, height, width);
        Predictor Make(bool mirror) => new(kind == InferenceEngineKind.Torch ? new TorchEngine(network, ownsNetwork: false) : OnnxParityTests.OnnxEngine(network, info, new OnnxExportOptions()),
            info, new InferenceOptions(mode, Batch: 2, Mirror: mirror));
        using var mirrored = Make(true);
        using var plain = Make(false);
        Tensor? sum = null;
        foreach (var flip in TestTimeMirroring.Flips)    // dims 2, 3 of (N, C, H, W) are H, W of the case's (C, D, H, W) too
        {
            using var flipped = new LoadedCase { Files = new CaseFiles("f", ["f.png"], null, CaseStorage.Image2D), Image = flip.Length == 0 ? image.Clone() : image.Flip(flip) };
            using var p = plain.PredictWithProbabilities(flipped);
            var back = flip.Length == 0 ? p.Probabilities! : p.Probabilities!.Flip(flip);
            sum = sum is null ? back.Clone() : sum + back;
        }
        var expected = sum! / TestTimeMirroring.Flips.Count;
        using var c = new LoadedCase { Files = new CaseFiles("c", ["c.png"], null, CaseStorage.Image2D), Image = image.Clone() };
        using var actual = mirrored.PredictWithProbabilities(c);
        Assert.Equal(new long[] { 3, 2, height, width }, actual.Probabilities!.Shape);
        double difference = (actual.Probabilities - expected).Abs().Max().Item();
        Assert.True(difference < 1e-5, $"{kind} {mode}: mirrored probabilities differ from the explicit flips by {difference:E2}");
        Assert.True(actual.Labels.Eq(expected.Argmax(0)).All().Item<bool>());
        Assert.True((actual.Probabilities.Sum(0) - 1).Abs().Max().Item() < 1e-5);
    }

    [Fact]
    public void KeepLargestNeedsForegroundClassesOfTheModel()
    {
        using var scope = new DisposeScope();
        var (network, info, c) = ReferenceModel();
        using var _ = network;
        using var __ = c;
        foreach (var bad in new[] { 0, 3 })
        {
            var e = Assert.Throws<ArgumentException>(() => new Predictor(network, info, new InferenceOptions(KeepLargest: [1, bad]), "model.safetensors"));
            Assert.Equal($"keep-largest: class {bad} is not a foreground class of model.safetensors (1 to 2; 0 is the background)", e.Message);
        }
        using var predictor = new Predictor(network, info, new InferenceOptions(KeepLargest: []));
        using var plain = new Predictor(network, info);
        Assert.True(predictor.Predict(c).Eq(LargestComponent.Keep(plain.Predict(c), [1, 2])).All().Item<bool>());
    }

    [Fact]
    public void NpzEntriesAreTheBytesNumpyWrites()
    {
        using var scope = new DisposeScope();
        string path = Path.Combine(root, "arrays.npz");
        var floats = (torch.Arange(24).Float() / 7).View(2, 3, 4);
        var longs = Tensor.From(new long[] { 3, -1, 0, 7, 1L << 40 });
        NpyFile.WriteArchive(path, new Dictionary<string, Tensor> { ["probabilities"] = floats, ["ids"] = longs });
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(["probabilities.npy", "ids.npy"], zip.Entries.Select(e => e.FullName));
            foreach (var (entry, key) in new[] { ("probabilities.npy", "float32_2x3x4"), ("ids.npy", "int64_5") })
            {
                using var stream = zip.GetEntry(entry)!.Open();
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                Assert.Equal(Convert.FromBase64String(Fx.GetProperty("npy").GetProperty(key).GetString()!), bytes.ToArray());
            }
        }
        var read = NpyFile.ReadArchive(path);
        Assert.True(read["probabilities"].Eq(floats).All().Item<bool>());
        Assert.True(read["ids"].Eq(longs).All().Item<bool>());
    }

    [Fact]
    public void ProbabilityMapsAreAnNpzForImagesAndA4DNiftiForVolumes()
    {
        using var scope = new DisposeScope();
        torch.ManualSeed(3);
        var image2D = new LoadedCase { Files = new CaseFiles("img", ["img.png"], null, CaseStorage.Image2D), Image = torch.Rand(1, 1, 5, 6) };
        var p2D = torch.Rand(3, 1, 5, 6).Softmax(0);
        string npz = PredictionFiles.WriteProbabilities(root, image2D, p2D);
        Assert.Equal(Path.Combine(root, "img_probabilities.npz"), npz);
        var stored = NpyFile.ReadArchive(npz)["probabilities"];
        Assert.Equal(DType.Float32, stored.DType);
        Assert.Equal(new long[] { 3, 5, 6 }, stored.Shape);
        Assert.True(stored.Eq(p2D.Select(1, 0)).All().Item<bool>());

        var volume = new LoadedCase { Files = new CaseFiles("ct", ["ct.h5"], null, CaseStorage.Hdf5), Image = torch.Rand(1, 4, 5, 6), Spacing = [0.8, 0.9, 2.5] };
        var p3D = torch.Rand(2, 4, 5, 6).Softmax(0);
        string nifti = PredictionFiles.WriteProbabilities(root, volume, p3D);
        Assert.Equal(Path.Combine(root, "ct_probabilities.nii.gz"), nifti);
        using var read = NiftiFile.Read(nifti);
        Assert.Equal(new long[] { 2, 4, 5, 6 }, read.Data.Shape);    // NIfTI (x, y, z, k) = W, H, D, class
        Assert.Equal(DType.Float32, read.Data.DType);
        Assert.Equal([0.8, 0.9, 2.5], read.Spacing.Select(s => Math.Round(s, 5)));
        Assert.True(read.Data.Eq(p3D).All().Item<bool>());
    }

    [Fact]
    public void TheCollisionCheckKnowsTheProbabilityFiles()
    {
        CaseFiles Volume(string id) => new(id, [Path.Combine(root, id + ".nii.gz")], null, CaseStorage.Volume);
        CaseFiles[] cases = [Volume("c"), Volume("c_probabilities")];
        PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), root, cases, overlays: false);
        var e = Assert.Throws<ArgumentException>(() => PredictionFiles.CheckTargets(ProtectedInputs.OfFiles([]), root, cases, overlays: false, probabilities: true));
        Assert.Contains($"would both be written as {Path.Combine(root, "c_probabilities.nii.gz")}", e.Message);
    }
}
