namespace Skd.Tests.Data;

/// <summary>The generated datasets: determinism, layouts, exact masks, distractors, inter-class similarity.</summary>
public sealed class SyntheticTests() : TempFolder("skd-synth-")
{
    private string Out(string name) => Path.Combine(root, name);

    /// <summary>Relative path → bytes of every file under <paramref name="dir"/>.</summary>
    private static SortedDictionary<string, byte[]> Files(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertSameFiles(string a, string b)
    {
        var (left, right) = (Files(a), Files(b));
        Assert.Equal(left.Keys, right.Keys);
        foreach (var (name, bytes) in left) Assert.True(bytes.AsSpan().SequenceEqual(right[name]), $"{name} differs between two runs with the same seed");
    }

    private static byte[] Grey(string path)
    {
        using var image = ImageFile.Read(path);
        Assert.Equal(1, image.Size(0));
        return image.ToArray<byte>();
    }

    [Fact]
    public void VesselsAreByteIdenticalForTheSameSeedOnly()
    {
        VesselGenerator.Write(Out("a"), 5, 96, seed: 7);
        VesselGenerator.Write(Out("b"), 5, 96, seed: 7);
        VesselGenerator.Write(Out("c"), 5, 96, seed: 8);
        AssertSameFiles(Out("a"), Out("b"));
        for (int i = 0; i < 5; i++)
        {
            string name = Path.Combine("images", $"{i:D4}.png");
            Assert.False(File.ReadAllBytes(Path.Combine(Out("a"), name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out("c"), name))));
        }
    }

    [Fact]
    public void VesselsAreWrittenInThePairedLayout()
    {
        string dir = Out("v");
        var reports = new List<int>();
        VesselGenerator.Write(dir, 3, 64, seed: 1, new SyncProgress(reports));
        Assert.Equal(["0000.png", "0001.png", "0002.png"], Directory.GetFiles(Path.Combine(dir, "images")).Select(Path.GetFileName).Order());
        Assert.Equal(["0000.png", "0001.png", "0002.png"], Directory.GetFiles(Path.Combine(dir, "masks")).Select(Path.GetFileName).Order());
        Assert.Equal([1, 2, 3], reports.Order());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "dataset.json")));
        var d = json.RootElement;
        Assert.Equal("synthetic-vessels", d.GetProperty("name").GetString());
        Assert.Equal("paired", d.GetProperty("layout").GetString());
        Assert.Equal(0, d.GetProperty("labels").GetProperty("background").GetInt32());
        Assert.Equal(1, d.GetProperty("labels").GetProperty("vessel").GetInt32());
        Assert.Equal(3, d.GetProperty("numTraining").GetInt32());
        Assert.Equal(1, d.GetProperty("seed").GetInt32());
        Assert.Equal(64, d.GetProperty("size").GetInt32());
        Assert.Equal("skd synth vessels", d.GetProperty("generator").GetString());

        var dataset = SegmentationDataset.Open(dir);
        Assert.Equal(DatasetLayout.Paired, dataset.Description.Layout);
        Assert.Equal(["background", "vessel"], dataset.Description.ClassNames);
        using var loaded = dataset.Load(dataset.Description.Cases[2]);
        Assert.Equal(new long[] { 1, 64, 64 }, loaded.Label!.Shape);

        // The files hold exactly what the generator makes in memory.
        var image = VesselGenerator.Generate(64, seed: 1, index: 2);
        Assert.Equal(image.Pixels, Grey(Path.Combine(dir, "images", "0002.png")));
        Assert.Equal(image.Mask, Grey(Path.Combine(dir, "masks", "0002.png")));
    }

    [Fact]
    public void VesselMasksAreBinaryTreesOfPlausibleSize()
    {
        const int size = 128;
        for (int i = 0; i < 12; i++)
        {
            var image = VesselGenerator.Generate(size, seed: 3, index: i);
            Assert.All(image.Mask, v => Assert.True(v is 0 or 255));
            int vessel = image.Mask.Count(v => v == 255);
            Assert.InRange(vessel / (double)(size * size), 0.03, 0.10);
            // Several branches: some row or column crosses at least three separate vessel runs.
            int Runs(Func<int, byte> at) => Enumerable.Range(0, size).Count(k => at(k) == 255 && (k == 0 || at(k - 1) == 0));
            int crossings = Enumerable.Range(0, size).Max(line =>
                Math.Max(Runs(k => image.Mask[line * size + k]), Runs(k => image.Mask[k * size + line])));
            Assert.True(crossings >= 3, $"image {i}: no line crosses three branches");
            // Vessels are darker than the rest of the image.
            double vesselMean = Mean(image.Pixels, p => image.Mask[p] == 255), restMean = Mean(image.Pixels, p => image.Mask[p] == 0);
            Assert.True(vesselMean < restMean - 5, $"image {i}: vessels {vesselMean:F0} vs background {restMean:F0}");
        }
    }

    [Fact]
    public void TheFaintStyleKeepsTheTreeButLowersItsContrastRaisesTheNoiseAndAddsBlobs()
    {
        const int size = 128;
        for (int i = 0; i < 4; i++)
        {
            var standard = VesselGenerator.Generate(size, seed: 6, index: i);
            Assert.Equal(standard.Pixels, VesselGenerator.Generate(size, seed: 6, index: i, VesselStyle.Standard).Pixels);
            var faint = VesselGenerator.Generate(size, seed: 6, index: i, VesselStyle.Faint);
            Assert.Equal(standard.Mask, faint.Mask);   // the same tree: the style draws nothing before it
            double Contrast(VesselImage v) => Mean(v.Pixels, p => v.Mask[p] == 0 && !v.Distractors[p]) - Mean(v.Pixels, p => v.Mask[p] == 255);
            Assert.True(Contrast(faint) < 0.8 * Contrast(standard), $"image {i}: contrast {Contrast(faint):F1} faint vs {Contrast(standard):F1} standard");
            // Noise: the spread of the difference between horizontal neighbours on plain background.
            double Noise(VesselImage v) => Math.Sqrt(Enumerable.Range(0, size * size - 1)
                .Where(p => p % size < size - 1 && v.Mask[p] == 0 && v.Mask[p + 1] == 0 && !v.Distractors[p] && !v.Distractors[p + 1])
                .Average(p => Math.Pow(v.Pixels[p] - v.Pixels[p + 1], 2)));
            Assert.True(Noise(faint) > 1.4 * Noise(standard), $"image {i}: noise {Noise(faint):F1} faint vs {Noise(standard):F1} standard");
            Assert.True(faint.Distractors.Count(d => d) > standard.Distractors.Count(d => d), $"image {i}: no more blobs");
        }
        Assert.Contains("got contrast 0", Assert.Throws<ArgumentException>(() => VesselGenerator.Generate(64, 0, 0, new VesselStyle(Contrast: 0))).Message);
    }

    [Fact]
    public void DistractorsAreDarkButNotInTheMask()
    {
        const int size = 128;
        int withDistractors = 0;
        for (int i = 0; i < 12; i++)
        {
            var image = VesselGenerator.Generate(size, seed: 5, index: i);
            var outside = Enumerable.Range(0, size * size).Where(p => image.Distractors[p] && image.Mask[p] == 0).ToList();
            int overlap = Enumerable.Range(0, size * size).Count(p => image.Distractors[p] && image.Mask[p] == 255);
            if (outside.Count < 20) continue;
            withDistractors++;
            Assert.True(overlap < outside.Count / 3, $"image {i}: {overlap} distractor pixels are labelled vessel");
            double distractorMean = outside.Average(p => image.Pixels[p]);
            double backgroundMean = Mean(image.Pixels, p => image.Mask[p] == 0 && !image.Distractors[p]);
            Assert.True(distractorMean < backgroundMean - 10, $"image {i}: distractors {distractorMean:F0} vs background {backgroundMean:F0}");
        }
        Assert.True(withDistractors >= 8, $"only {withDistractors} of 12 images have a catheter or blobs");
    }

    [Fact]
    public void OrgansAreByteIdenticalForTheSameSeedOnly()
    {
        OrganGenerator.Write(Out("a"), 2, 32, 6, seed: 11);
        OrganGenerator.Write(Out("b"), 2, 32, 6, seed: 11);
        OrganGenerator.Write(Out("c"), 2, 32, 6, seed: 12);
        AssertSameFiles(Out("a"), Out("b"));
        string name = Path.Combine("imagesTr", "case_0001_0000.nii.gz");
        Assert.False(File.ReadAllBytes(Path.Combine(Out("a"), name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out("c"), name))));
    }

    [Fact]
    public void OrgansAreWrittenInTheNnUnetLayoutWithSpacing()
    {
        string dir = Out("o");
        OrganGenerator.Write(dir, 2, 48, 8, seed: 2);
        Assert.Equal(["case_0000_0000.nii.gz", "case_0001_0000.nii.gz"], Directory.GetFiles(Path.Combine(dir, "imagesTr")).Select(Path.GetFileName).Order());
        Assert.Equal(["case_0000.nii.gz", "case_0001.nii.gz"], Directory.GetFiles(Path.Combine(dir, "labelsTr")).Select(Path.GetFileName).Order());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "dataset.json")));
        var d = json.RootElement;
        Assert.Equal("CT", d.GetProperty("channel_names").GetProperty("0").GetString());
        var labels = d.GetProperty("labels").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())).ToList();
        Assert.Equal([("background", 0), ("liver", 1), ("spleen", 2), ("left kidney", 3), ("right kidney", 4), ("stomach", 5)], labels);
        Assert.Equal(2, d.GetProperty("numTraining").GetInt32());
        Assert.Equal(".nii.gz", d.GetProperty("file_ending").GetString());
        Assert.Equal("synthetic-organs", d.GetProperty("name").GetString());

        var dataset = SegmentationDataset.Open(dir);
        Assert.Equal(DatasetLayout.NnUnetRaw, dataset.Description.Layout);
        Assert.Equal(6, dataset.ClassCount);

        using var image = NiftiFile.Read(Path.Combine(dir, "imagesTr", "case_0001_0000.nii.gz"));
        using var label = NiftiFile.Read(Path.Combine(dir, "labelsTr", "case_0001.nii.gz"));
        Assert.Equal(new long[] { 8, 48, 48 }, image.Data.Shape);
        Assert.Equal(DType.Int16, image.Data.DType);
        Assert.Equal(DType.UInt8, label.Data.DType);
        Assert.Equal(360.0 / 48, image.Spacing[0], 4);
        Assert.Equal(360.0 / 48, image.Spacing[1], 4);
        Assert.Equal(160.0 / 8, image.Spacing[2], 4);
        Assert.Equal(image.Spacing, label.Spacing);
        var generated = OrganGenerator.Generate(48, 8, seed: 2, index: 1);
        Assert.Equal(generated.Hounsfield, image.Data.ToArray<short>());
        Assert.Equal(generated.Labels, label.Data.ToArray<byte>());
    }

    [Fact]
    public void OrgansAreAllPresentWithOverlappingIntensities()
    {
        const int classes = 6, volumes = 6;
        var values = Enumerable.Range(0, classes).Select(_ => new List<short>()).ToArray();
        var present = new int[classes];
        int boneVoxels = 0, labelledBone = 0;
        for (int v = 0; v < volumes; v++)
        {
            var volume = OrganGenerator.Generate(64, 12, seed: 4, index: v);
            Assert.All(volume.Labels, l => Assert.InRange(l, 0, classes - 1));
            for (int p = 0; p < volume.Labels.Length; p++)
            {
                values[volume.Labels[p]].Add(volume.Hounsfield[p]);
                if (volume.Hounsfield[p] > 300) (boneVoxels, labelledBone) = (boneVoxels + 1, labelledBone + (volume.Labels[p] > 0 ? 1 : 0));
            }
            foreach (int c in volume.Labels.Distinct()) present[c]++;
        }
        for (int c = 1; c < classes; c++) Assert.True(present[c] >= volumes - 1, $"{OrganGenerator.ClassNames[c]} is missing from {volumes - present[c]} volumes");

        // Inter-class similarity: the central 80 % of each organ's values overlap with the next organ's.
        var ranges = values.Select(list => { var s = list.Order().ToArray(); return (Low: s[s.Length / 10], High: s[s.Length * 9 / 10]); }).ToArray();
        for (int c = 1; c < classes - 1; c++)
            Assert.True(ranges[c].Low < ranges[c + 1].High && ranges[c + 1].Low < ranges[c].High,
                $"{OrganGenerator.ClassNames[c]} [{ranges[c].Low}, {ranges[c].High}] and {OrganGenerator.ClassNames[c + 1]} [{ranges[c + 1].Low}, {ranges[c + 1].High}] HU do not overlap");
        Assert.True(ranges[1].Low < ranges[5].High && ranges[5].Low < ranges[1].High, "liver and stomach do not overlap");

        // The spine is a bright distractor: present, and (but for partial-volume edges) unlabelled.
        Assert.True(boneVoxels > 100, $"only {boneVoxels} voxels above 300 HU");
        Assert.True(labelledBone < boneVoxels / 100, $"{labelledBone} of {boneVoxels} bright voxels are labelled as an organ");
    }

    private static double Mean(byte[] pixels, Func<int, bool> where) =>
        Enumerable.Range(0, pixels.Length).Where(where).Average(p => (double)pixels[p]);

    /// <summary>Collects reports synchronously (thread-safe).</summary>
    private sealed class SyncProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
