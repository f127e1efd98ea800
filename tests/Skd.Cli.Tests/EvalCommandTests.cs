namespace Skd.Cli.Tests;

/// <summary>
/// <c>skd eval</c> on tiny datasets written in temporary folders, with freshly seeded models: the
/// reported metrics are those of <see cref="SegmentationEvaluator"/> applied by hand to the
/// predictions eval saved.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class EvalCommandTests() : TempFolder("skd-eval-cli-")
{
    private string Dir(params string[] parts) => Directory.CreateDirectory(Path.Combine([root, .. parts])).FullName;

    /// <summary>An ellipse of ones (or <paramref name="value"/>) in a (height, width) map.</summary>
    private static byte[] Ellipse(int height, int width, double cy, double cx, double ry, double rx, byte value = 1)
    {
        var m = new byte[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if ((y - cy) * (y - cy) / (ry * ry) + (x - cx) * (x - cx) / (rx * rx) <= 1) m[y * width + x] = value;
        return m;
    }

    /// <summary>Three 20×24 grey images with 0/255 vessel masks: the paired layout (images/ + masks/).</summary>
    private string PngDataset()
    {
        string ds = Dir("png");
        Dir("png", "images");
        Dir("png", "masks");
        torch.ManualSeed(3);
        for (int i = 1; i <= 3; i++)
        {
            using var scope = new DisposeScope();
            var mask = Ellipse(20, 24, 6 + 3 * i, 12, 4 + i, 7, 255);
            ImageFile.Write(Path.Combine(ds, "masks", $"{i}.png"), Tensor.From(mask, 1, 20, 24));
            var image = torch.RandInt(0, 120, [1, 20, 24], DType.UInt8) + Tensor.From(mask, 1, 20, 24).To(DType.Int64) / 2;
            ImageFile.Write(Path.Combine(ds, "images", $"{i}.png"), image.To(DType.UInt8));
        }
        return ds;
    }

    /// <summary>Two 3×18×20 NIfTI volumes with spacing (0.9, 0.8, 2.0) and 3 classes: nnU-Net's raw layout.</summary>
    private string NiftiDataset()
    {
        string ds = Dir("nifti");
        Dir("nifti", "imagesTr");
        Dir("nifti", "labelsTr");
        File.WriteAllText(Path.Combine(ds, "dataset.json"), JsonSerializer.Serialize(new
        {
            labels = new Dictionary<string, int> { ["background"] = 0, ["organ"] = 1, ["lesion"] = 2 },
            channel_names = new Dictionary<string, string> { ["0"] = "MR" },
            file_ending = ".nii.gz",
        }));
        torch.ManualSeed(4);
        for (int i = 1; i <= 2; i++)
        {
            using var scope = new DisposeScope();
            var slices = Enumerable.Range(0, 3).Select(z =>
            {
                var organ = Ellipse(18, 20, 9, 10, 6 - z, 7 + i);
                var lesion = Ellipse(18, 20, 8 + i, 9, 2, 2, 2);
                return Tensor.From(organ.Zip(lesion, (o, l) => (short)Math.Max(o, l)).ToArray(), 18, 20);
            }).ToList();
            var label = torch.Stack(slices);
            NiftiFile.Write(Path.Combine(ds, "labelsTr", $"case_{i:D3}.nii.gz"), label, spacing: [0.9, 0.8, 2.0]);
            NiftiFile.Write(Path.Combine(ds, "imagesTr", $"case_{i:D3}_0000.nii.gz"), torch.Randn(3, 18, 20) * 20 + label.Float() * 50 + 100, spacing: [0.9, 0.8, 2.0]);
        }
        return ds;
    }

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Every row of eval's JSON equals the evaluator's row (NaN written as null).</summary>
    private static void AssertRowsEqual(IReadOnlyList<CaseMetrics> expected, JsonElement json)
    {
        var rows = json.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var (e, row) in expected.Zip(rows))
        {
            Assert.Equal(e.CaseId, row.GetProperty("case").GetString());
            Assert.Equal(e.Class, row.GetProperty("class").GetInt32());
            foreach (var (name, value) in CaseMetrics.Columns)
            {
                var cell = row.GetProperty(name);
                if (double.IsNaN(value(e))) Assert.Equal(JsonValueKind.Null, cell.ValueKind);
                else Assert.Equal(value(e), cell.GetDouble(), 12);
            }
        }
        var overall = new MetricsTable(expected).Overall();
        foreach (var (name, _) in CaseMetrics.Columns)
            if (!double.IsNaN(overall[name].Mean))
                Assert.Equal(overall[name].Mean, json.GetProperty("overall").GetProperty(name).GetProperty("mean").GetDouble(), 12);
    }

    [Fact]
    public void ImagesAreScoredAsTheEvaluatorScoresTheSavedPredictions()
    {
        string ds = PngDataset();
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2);
        string preds = Path.Combine(root, "preds"), json = Path.Combine(root, "out", "metrics.json"), csv = Path.Combine(root, "out", "metrics.csv");
        var (code, stdout, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--split", "all", "--json", json, "--csv", csv, "--save-predictions", preds);
        Assert.True(code == 0, stdout + stderr);

        using var scope = new DisposeScope();
        var dataset = SegmentationDataset.Open(ds);
        var expected = new List<CaseMetrics>();
        foreach (var c in dataset.Split("all"))
        {
            using var loaded = dataset.Load(c);
            var pixels = ImageFile.Read(Path.Combine(preds, c.Id + ".png"));
            Assert.True(pixels.Eq(0).LogicalOr(pixels.Eq(255)).All().Item<bool>());      // a binary map is written 0/255, as viewers show masks
            using var saved = LabelMapFile.Read(Path.Combine(preds, c.Id + ".png"));
            var prediction = saved.Map;
            Assert.Equal(new long[] { 20, 24 }, prediction.Shape);
            Assert.True(prediction.Eq(0).Any().Item<bool>() && prediction.Eq(1).Any().Item<bool>());   // HD95 is measured, not skipped
            expected.AddRange(SegmentationEvaluator.Evaluate(c.Id, prediction, loaded.Label!.Squeeze(0), 2));
        }
        var result = ReadJson(json);
        AssertRowsEqual(expected, result);
        Assert.Equal(["1", "2", "3"], result.GetProperty("cases").EnumerateArray().Select(r => r.GetProperty("case").GetString()));
        Assert.Equal(4, File.ReadAllLines(csv).Length);                            // header + 3 cases × class 1
        Assert.True(File.Exists(Path.Combine(root, "out", "metrics_summary.csv")));
        Assert.Contains("per class (mean ± std over cases, n)", stdout);
        Assert.Contains("1 foreground", stdout);
        Assert.Equal("evaluating cases: 1/3\nevaluating cases: 2/3\nevaluating cases: 3/3\n", stderr);   // no terminal: a line per tenth of the cases, no bar
    }

    [Fact]
    public void VolumesAreScoredWholeInMillimetresWithSpacing()
    {
        string ds = NiftiDataset();
        string run = Dir("run");
        TestModels.Write(Path.Combine(run, "last.safetensors"), 1, 3);
        string preds = Path.Combine(root, "preds"), json = Path.Combine(root, "metrics.json");
        var (code, stdout, stderr) = SkdProcess.Run("eval", "--run", run, "--data", ds, "--split", "all", "--spacing", "--mode", "sliding-window",
            "--json", json, "--save-predictions", preds);
        Assert.True(code == 0, stdout + stderr);

        using var scope = new DisposeScope();
        var dataset = SegmentationDataset.Open(ds);
        var expected = new List<CaseMetrics>();
        foreach (var c in dataset.Split("all"))
        {
            using var loaded = dataset.Load(c);
            using var saved = NiftiFile.Read(Path.Combine(preds, c.Id + ".nii.gz"));
            Assert.Equal(loaded.Geometry!.Spacing, saved.Spacing);
            Assert.Equal(loaded.Geometry.Affine, saved.Affine);
            for (int k = 0; k < 3; k++) Assert.True(saved.Data.Eq(k).Any().Item<bool>());
            expected.AddRange(SegmentationEvaluator.Evaluate(c.Id, saved.Data.Long(), loaded.Label!, 3, new MetricOptions(Spacing: [loaded.Spacing[2], loaded.Spacing[1], loaded.Spacing[0]])));
        }
        AssertRowsEqual(expected, ReadJson(json));
        Assert.Contains("HD95 (medpy) in mm", stdout);
    }

    [Fact]
    public void TheSynapseProtocolScoresHdf5VolumesWithTransUNetsRule()
    {
        string ds = Dir("synapse");
        Dir("synapse", "test_vol_h5");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "case0001.npy.h5"), Path.Combine(ds, "test_vol_h5", "case0001.npy.h5"));
        string model = TestModels.Write(Path.Combine(root, "synapse.safetensors"), 1, 9, normalization: IntensityNormalization.None,
            interpolation: InterpolationMode.Bicubic, onlyClass: 3);
        string preds = Path.Combine(root, "preds"), json = Path.Combine(root, "metrics.json");
        var (code, stdout, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--protocol", "synapse", "--json", json, "--save-predictions", preds);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("TransUNet's rule", stdout);

        using var scope = new DisposeScope();
        var dataset = SegmentationDataset.Open(ds);
        using var loaded = dataset.Load(Assert.Single(dataset.Split("test")));
        using var saved = NiftiFile.Read(Path.Combine(preds, "case0001.nii.gz"));
        Assert.True(saved.Data.Eq(3).All().Item<bool>());                    // the model predicts organ 3 everywhere
        var expected = SegmentationEvaluator.Evaluate("case0001", saved.Data.Long(), loaded.Label!, 9, new MetricOptions(EmptyMaskPolicy.TransUNet));
        var result = ReadJson(json);
        AssertRowsEqual(expected, result);
        foreach (var row in result.GetProperty("cases").EnumerateArray().Where(r => r.GetProperty("class").GetInt32() != 3))
        {
            // Every other organ is in the label but never predicted: TransUNet scores it (0, 0), not NaN.
            Assert.Equal(0, row.GetProperty("dice").GetDouble());
            Assert.Equal(0, row.GetProperty("hd95").GetDouble());
        }
        Assert.Equal(8, result.GetProperty("cases").GetArrayLength());

        (code, _, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--protocol", "synapse", "--spacing");
        Assert.Equal(1, code);
        Assert.Contains("--protocol synapse fixes inference and metrics; --spacing cannot be combined with it", stderr);
    }

    /// <summary>TransUNet's layout: two 3×4 training slices (train_npz/, lists/train.txt) and one 3×4×5 test volume (test_vol_h5/).</summary>
    [Fact]
    public void DeviceRunsTheTorchEngineThereAndAMissingGpuOrOnnxOnAGpuIsAClearError()
    {
        string ds = NiftiDataset();
        string model = TestModels.Write(Path.Combine(Dir("run"), "last.safetensors"), 1, 3);
        string[] eval = ["eval", "--checkpoint", model, "--data", ds, "--split", "all"];
        var (code, stdout, stderr) = SkdProcess.Run([.. eval, "--device", "cpu", "--engine", "torch", "--json", Path.Combine(root, "cpu.json")]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(0, SkdProcess.Run([.. eval, "--engine", "torch", "--json", Path.Combine(root, "default.json")]).ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(root, "default.json")), File.ReadAllText(Path.Combine(root, "cpu.json")));

        (code, _, stderr) = SkdProcess.Run([.. eval, "--device", "cuda"]);   // no GPU on the machines the default suite runs on
        Assert.Equal(1, code);
        Assert.Contains("skd eval: error: device cuda:0 was requested, but CUDA is not available", stderr);
        (code, _, stderr) = SkdProcess.Run([.. eval, "--device", "cuda", "--engine", "onnx"]);
        Assert.Equal(1, code);
        Assert.Contains($"{model}: ONNX Runtime runs on the CPU here; --device cuda:0 runs a .safetensors model in libtorch (--engine torch)", stderr);
        (code, _, stderr) = SkdProcess.Run([.. eval, "--device", "gpu"]);
        Assert.Equal(1, code);
        Assert.Contains("unknown device 'gpu': expected cpu, cuda or cuda:N", stderr);
    }

    private string SynapseDataset()
    {
        string ds = Dir("synapse");
        foreach (var folder in new[] { "train_npz", "test_vol_h5", "lists" }) Dir("synapse", folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "case0005_slice012.npz"), Path.Combine(ds, "train_npz", "case0005_slice012.npz"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "case0005_slice012.npz"), Path.Combine(ds, "train_npz", "case0005_slice013.npz"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "case0001.npy.h5"), Path.Combine(ds, "test_vol_h5", "case0001.npy.h5"));
        File.WriteAllLines(Path.Combine(ds, "lists", "train.txt"), ["case0005_slice012", "case0005_slice013"]);
        return ds;
    }

    [Fact]
    public void EvalWithoutAProtocolScoresASynapseDatasetAsCompareDoes()
    {
        string ds = SynapseDataset(), cmp = Path.Combine(root, "cmp");
        var (code, stdout, stderr) = SkdProcess.Run("compare", "--data", ds, "--out", cmp, "--methods", "supervised", "--seeds", "1", "--width", "4", "--depth", "2",
            "--size", "16", "--batch", "2", "--epochs", "1", "--threads", "1");
        Assert.True(code == 0, stdout + stderr);
        string run = Path.Combine(cmp, "runs", "supervised-w4-s0"), json = Path.Combine(root, "eval.json");

        (code, stdout, stderr) = SkdProcess.Run("eval", "--run", run, "--data", ds, "--json", json);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("protocol synapse (the dataset's)", stdout);
        Assert.Contains("TransUNet's rule", stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(run, "test.json")), File.ReadAllText(json));
        // The rule shows: an organ of the label that the model never predicts scores HD95 0, not NaN (null).
        var cases = ReadJson(json).GetProperty("cases").EnumerateArray().ToList();
        Assert.Contains(cases, r => r.GetProperty("dice").GetDouble() == 0 && r.GetProperty("hd95").ValueKind == JsonValueKind.Number);

        // --protocol stays an override: generic scores with the options, and the dataset's own refuses them with a hint.
        (code, stdout, stderr) = SkdProcess.Run("eval", "--run", run, "--data", ds, "--protocol", "generic", "--json", json);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("skipped when absent", stdout);
        (code, _, stderr) = SkdProcess.Run("eval", "--run", run, "--data", ds, "--empty", "skip");
        Assert.Equal(1, code);
        Assert.Contains("the dataset's protocol, synapse, fixes inference and metrics; --empty cannot be combined with it (--protocol generic scores with your own options)", stderr);
    }

    [Fact]
    public void MissingOrMismatchedModelsAreClearErrors()
    {
        string ds = PngDataset();
        var (code, _, stderr) = SkdProcess.Run("eval", "--checkpoint", Path.Combine(root, "none.safetensors"), "--data", ds);
        Assert.Equal(1, code);
        Assert.Contains("skd eval: error:", stderr);
        Assert.Contains("none.safetensors: no such model file or run folder", stderr);

        string rgb = TestModels.Write(Path.Combine(root, "rgb.safetensors"), 3, 2);
        (code, _, stderr) = SkdProcess.Run("eval", "--checkpoint", rgb, "--data", ds, "--split", "all");
        Assert.Equal(1, code);
        Assert.Contains("the image has 1 channel(s), but", stderr);
        Assert.Contains("rgb.safetensors takes 3", stderr);

        string nine = TestModels.Write(Path.Combine(root, "nine.safetensors"), 1, 9);
        (code, _, stderr) = SkdProcess.Run("eval", "--checkpoint", nine, "--data", ds);
        Assert.Equal(1, code);
        Assert.Contains("predicts 9 classes, the dataset has 2", stderr);
    }

    [Fact]
    public void EvalPredictsWithMirroringAndTheLargestComponentAsThePredictorDoes()
    {
        string ds = PngDataset();
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 2);
        string preds = Path.Combine(root, "preds");
        var (code, stdout, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--split", "all", "--tta", "--keep-largest", "--save-predictions", preds);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("with mirroring (TTA), largest component per class", stdout);

        using var scope = new DisposeScope();
        var dataset = SegmentationDataset.Open(ds);
        using var predictor = Predictor.Load(model, new InferenceOptions(Mirror: true, KeepLargest: []));
        foreach (var c in dataset.Split("all"))
        {
            using var loaded = dataset.Load(c);
            using var saved = LabelMapFile.Read(Path.Combine(preds, c.Id + ".png"));
            Assert.True(saved.Map.Eq(predictor.Predict(loaded).Squeeze(0)).All().Item<bool>());
        }
    }

    [Fact]
    public void EvalSavesProbabilitiesAsPredictDoes()
    {
        string ds = NiftiDataset();
        string model = TestModels.Write(Path.Combine(root, "model.safetensors"), 1, 3);
        string preds = Path.Combine(root, "preds"), predicted = Path.Combine(root, "predicted");
        var (code, stdout, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--split", "all", "--tta", "--save-predictions", preds, "--save-probabilities");
        Assert.True(code == 0, stdout + stderr);
        // predict over the same volumes writes the same files.
        (code, stdout, stderr) = SkdProcess.Run("predict", "--checkpoint", model, "--input", Path.Combine(ds, "imagesTr"), "--out", predicted, "--tta", "--save-probabilities");
        Assert.True(code == 0, stdout + stderr);
        foreach (var id in new[] { "case_001", "case_002" })
        {
            using var byEval = NiftiFile.Read(Path.Combine(preds, id + "_probabilities.nii.gz"));
            using var byPredict = NiftiFile.Read(Path.Combine(predicted, id + "_0000_probabilities.nii.gz"));   // predict names a case by its file
            using var labels = NiftiFile.Read(Path.Combine(preds, id + ".nii.gz"));
            using var scope = new DisposeScope();
            Assert.Equal(new long[] { 3, 3, 18, 20 }, byEval.Data.Shape);
            Assert.True(byEval.Data.Eq(byPredict.Data).All().Item<bool>(), id);
            Assert.True(labels.Data.Long().Eq(byEval.Data.Argmax(0)).All().Item<bool>(), id);
        }

        (code, _, stderr) = SkdProcess.Run("eval", "--checkpoint", model, "--data", ds, "--save-probabilities");
        Assert.Equal(1, code);
        Assert.Equal("skd eval: error: --save-probabilities writes beside the label maps of --save-predictions DIR; give that too", stderr.Trim());
    }
}
