namespace Skd.Data.Synthetic;

/// <summary>One generated CT volume: Hounsfield units and labels, both (depth, height, width) row-major.</summary>
/// <param name="Depth">Slices.</param>
/// <param name="Size">In-plane side in voxels.</param>
/// <param name="Hounsfield">Intensities in Hounsfield-like units.</param>
/// <param name="Labels">Class per voxel: 0 background, 1..5 organs.</param>
/// <param name="Spacing">Voxel size along x, y, z in millimetres.</param>
public sealed record OrganVolume(int Depth, int Size, short[] Hounsfield, byte[] Labels, double[] Spacing);

/// <summary>
/// Abdominal CT look-alikes with exact multi-class label maps, written in nnU-Net's raw layout.
/// The field of view is fixed (360 × 360 mm in-plane, 160 mm along z), so the spacing follows
/// from the size: 96 × 96 × 16 voxels are 3.75 × 3.75 × 10 mm, 512 × 512 × 64 are 0.70 × 0.70 × 2.5 mm.
/// Rows run anterior (top) to posterior, columns from the patient's right to left, slices
/// inferior to superior: axial slices look as radiologists view them. The model of a volume:
/// <list type="number">
/// <item>Air (−1000 HU) around an elliptic body whose width and depth vary between cases; a
/// subcutaneous fat layer (−100 HU) of varying thickness, then a thin muscle wall.</item>
/// <item>Inside, a mottled mix of visceral fat and bowel/soft tissue (a smooth noise field picks
/// between them), so unlabelled regions also take organ-like values.</item>
/// <item>Unlabelled distractors: two paraspinal muscles, the aorta and the inferior vena cava (all
/// soft tissue, in the organs' range), and the spine: a bright vertebral body with a cortical rim,
/// intervertebral discs every 30 mm, and a spinous process.</item>
/// <item>The labelled organs, each a smooth deformed ellipsoid (an ellipsoid's implicit function
/// plus a few low-frequency sinusoids) placed, sized and turned with random jitter around its
/// anatomical position: 1 liver (large, right, anterior), 2 spleen (left, posterior), 3 left and
/// 4 right kidney (beside the spine, the right one lower), 5 stomach (left, anterior). Where two
/// overlap, the voxel goes to the one it is deeper inside. The label map is exactly these sets.</item>
/// <item>Intensities with inter-class similarity: each case draws one mean per tissue from ranges
/// that overlap (liver 50–75 HU, spleen 40–65, kidneys 25–50, stomach 15–45, muscle 40–60, soft
/// tissue 20–50), adds a tissue texture (smooth noise, 4–10 HU), a slight blur (partial volume,
/// on the image only) and CT noise of 8–20 HU; rounded to int16.</item>
/// </list>
/// </summary>
public static class OrganGenerator
{
    public static readonly IReadOnlyList<string> ClassNames = ["background", "liver", "spleen", "left kidney", "right kidney", "stomach"];

    private const double FieldOfViewMm = 360, ExtentZMm = 160;

    /// <summary>The ranges of the in-plane side and the slices, and the most voxels of a volume (512×512×128: about 2 GB to draw).</summary>
    public const int MinSize = 32, MaxSize = 1024, MinDepth = 4, MaxDepth = 1024, MaxVoxels = 512 * 512 * 128;

    /// <summary>Throws an <see cref="ArgumentException"/> unless count, side and slices are in range and the volume has at most <see cref="MaxVoxels"/> voxels.</summary>
    public static void Validate(int count, int size, int depth)
    {
        SyntheticNoise.Require("the number of volumes", "count", count, 1, int.MaxValue);
        SyntheticNoise.Require("the in-plane side", "size", size, MinSize, MaxSize);
        SyntheticNoise.Require("the slices", "depth", depth, MinDepth, MaxDepth);
        if ((long)size * size * depth > MaxVoxels)
            throw new OptionException(o => $"a volume of {depth}×{size}×{size} voxels is more than the {MaxVoxels} (512×512×128) a volume may have; lower {o("size")} or {o("depth")}");
    }

    /// <summary>Volume <paramref name="index"/> of the set seeded with <paramref name="seed"/>: <paramref name="depth"/> slices of <paramref name="size"/>².</summary>
    public static OrganVolume Generate(int size, int depth, int seed, int index)
    {
        Validate(1, size, depth);
        return new Painter(size, depth, SyntheticNoise.ItemRandom(seed, index)).Paint();
    }

    /// <summary>
    /// Writes <c>imagesTr/case_NNNN_0000.nii.gz</c> (int16 HU), <c>labelsTr/case_NNNN.nii.gz</c>
    /// (uint8, 0..5) and an nnU-Net v2 <c>dataset.json</c> under <paramref name="outDir"/> (created if
    /// missing; files of the same names are replaced). Reports volumes written to <paramref name="progress"/>.
    /// </summary>
    public static void Write(string outDir, int count, int size, int depth, int seed, IProgress<int>? progress = null)
    {
        Validate(count, size, depth);
        string images = Path.Combine(outDir, "imagesTr"), labels = Path.Combine(outDir, "labelsTr");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(labels);
        int done = 0;
        Parallel.For(0, count, SyntheticNoise.Workers((long)size * size * depth), i =>
        {
            var volume = Generate(size, depth, seed, i);
            var s = volume.Spacing;
            // Voxel (i, j, k) to RAS millimetres: columns run toward the patient's left (−x),
            // rows toward posterior (−y), slices toward superior (+z); the centre of the volume at 0.
            double[,] affine =
            {
                { -s[0], 0, 0, s[0] * (size - 1) / 2 },
                { 0, -s[1], 0, s[1] * (size - 1) / 2 },
                { 0, 0, s[2], -s[2] * (depth - 1) / 2 },
                { 0, 0, 0, 1 },
            };
            using (var hu = Tensor.From(volume.Hounsfield, depth, size, size))
                NiftiFile.Write(Path.Combine(images, $"case_{i:D4}_0000.nii.gz"), hu, spacing: s, affine: affine);
            using (var label = Tensor.From(volume.Labels, depth, size, size))
                NiftiFile.Write(Path.Combine(labels, $"case_{i:D4}.nii.gz"), label, spacing: s, affine: affine);
            progress?.Report(Interlocked.Increment(ref done));
        });
        var description = new
        {
            channel_names = new Dictionary<string, string> { ["0"] = "CT" },
            labels = ClassNames.Select((name, value) => (name, value)).ToDictionary(c => c.name, c => c.value),
            numTraining = count, file_ending = ".nii.gz", name = "synthetic-organs",
            seed, size, depth, generator = "skd synth organs",
        };
        AtomicFile.WriteText(Path.Combine(outDir, "dataset.json"), JsonSerializer.Serialize(description, SyntheticNoise.Indented) + "\n");
    }

    /// <summary>
    /// An organ: centre (mm), semi-axes (mm), in-plane turn, and the sinusoids that deform it
    /// (wave vector in the organ's unit frame, phase, amplitude).
    /// </summary>
    private sealed record Organ(int Label, double X, double Y, double Z, double A, double B, double C, double Turn,
        (double Kx, double Ky, double Kz, double Phase, double Amplitude)[] Waves)
    {
        private readonly double cos = Math.Cos(Turn), sin = Math.Sin(Turn);

        /// <summary>Implicit function: negative inside, −1 at the centre (before deformation).</summary>
        public double Inside(double x, double y, double z)
        {
            double dx = x - X, dy = y - Y;
            double u = (cos * dx + sin * dy) / A, v = (-sin * dx + cos * dy) / B, w = (z - Z) / C;
            double f = u * u + v * v + w * w - 1;
            foreach (var k in Waves) f += k.Amplitude * Math.Sin(k.Kx * u + k.Ky * v + k.Kz * w + k.Phase);
            return f;
        }

        /// <summary>A radius beyond which <see cref="Inside"/> is positive in every direction.</summary>
        public double Reach => Math.Max(A, B) * 1.4;
    }

    private sealed class Painter(int size, int depth, Random random)
    {
        private readonly double pixelMm = FieldOfViewMm / size, sliceMm = ExtentZMm / depth;

        private double X(int column) => (column + 0.5) * pixelMm - FieldOfViewMm / 2;
        private double Y(int row) => (row + 0.5) * pixelMm - FieldOfViewMm / 2;
        private double Z(int slice) => (slice + 0.5) * sliceMm - ExtentZMm / 2;

        public OrganVolume Paint()
        {
            // Body and cavity (semi-axes in mm), spine centre.
            double bodyA = random.Uniform(140, 175), bodyB = random.Uniform(100, 125), fat = random.Uniform(8, 30), wall = random.Uniform(5, 10);
            double cavityA = bodyA - fat - wall, cavityB = bodyB - fat - wall, spineY = cavityB - random.Uniform(15, 25), discPhase = random.Uniform(0, 32);
            var organs = PlaceOrgans(cavityA, cavityB);
            // Mean HU per tissue for this case; the organs' ranges overlap each other and the unlabelled tissues'.
            double kidney = random.Uniform(25, 50);
            double[] organMean = [0, random.Uniform(50, 75), random.Uniform(40, 65), kidney + random.Uniform(-3, 3), kidney + random.Uniform(-3, 3), random.Uniform(15, 45)];
            double muscle = random.Uniform(40, 60), soft = random.Uniform(20, 50), blood = random.Uniform(30, 50);
            double cancellous = random.Uniform(180, 300), cortex = random.Uniform(500, 800);
            double[] organTexture = [0, .. Enumerable.Range(0, 5).Select(_ => random.Uniform(4, 10))];
            double noise = random.Uniform(8, 20);
            int n = depth * size * size;
            var mixture = SyntheticNoise.Smooth(random, depth, size, size, 12 / sliceMm, 12 / pixelMm);
            var texture = SyntheticNoise.Smooth(random, depth, size, size, 2 / sliceMm, 4 / pixelMm);

            var hu = new float[n];
            var labels = new byte[n];
            for (int k = 0; k < depth; k++)
                for (int j = 0; j < size; j++)
                    for (int i = 0; i < size; i++)
                    {
                        int p = (k * size + j) * size + i;
                        double x = X(i), y = Y(j), z = Z(k);
                        double value;
                        if (Sq(x / bodyA) + Sq(y / bodyB) >= 1) value = -1000;
                        else if (Sq(x / (bodyA - fat)) + Sq(y / (bodyB - fat)) >= 1) value = -100 + 10 * texture[p];
                        else if (Sq(x / cavityA) + Sq(y / cavityB) >= 1) value = muscle + 5 * texture[p];
                        else
                        {
                            double tissue = 1 / (1 + Math.Exp(-3 * mixture[p]));   // 0: visceral fat, 1: bowel and soft tissue
                            value = (1 - tissue) * (-100) + tissue * soft + 6 * texture[p];
                            if (Sq((Math.Abs(x) - 38) / 14) + Sq((y - spineY) / 17) < 1) value = muscle + 5 * texture[p];   // psoas
                            if (Sq(x - 15) + Sq(y - spineY + 32) < Sq(11)) value = blood + 4 * texture[p];                 // aorta
                            if (Sq(x + 22) + Sq(y - spineY + 28) < Sq(12)) value = blood + 4 * texture[p];                 // vena cava
                            labels[p] = (byte)Label(organs, x, y, z);
                            if (labels[p] > 0) value = organMean[labels[p]] + organTexture[labels[p]] * texture[p];
                        }
                        double bone = Spine(x, y - spineY, z + ExtentZMm + discPhase, cancellous, cortex);
                        if (!double.IsNaN(bone) && value > -1000)
                        {
                            value = bone + 15 * texture[p];
                            labels[p] = 0;
                        }
                        hu[p] = (float)value;
                    }

            SyntheticNoise.Blur(hu, depth, size, size, 0.3, 0.6);
            var image = new short[n];
            for (int p = 0; p < n; p++) image[p] = (short)Math.Clamp(Math.Round(hu[p] + noise * random.Gaussian()), -1024, 3071);
            return new OrganVolume(depth, size, image, labels, [pixelMm, pixelMm, sliceMm]);
        }

        /// <summary>The five organs around their anatomical places (fractions of the cavity; +x is the patient's left).</summary>
        private List<Organ> PlaceOrgans(double a, double b)
        {
            Organ Make(int label, double fx, double fy, double z, double sa, double sb, double sc, double turn)
            {
                double jitter = random.Uniform(0.85, 1.15);
                var waves = Enumerable.Range(0, 4).Select(_ => (random.Uniform(-3, 3), random.Uniform(-3, 3), random.Uniform(-2, 2),
                    random.Uniform(0, 2 * Math.PI), random.Uniform(0.05, 0.15))).ToArray();
                return new Organ(label, (fx + random.Uniform(-0.05, 0.05)) * a, (fy + random.Uniform(-0.05, 0.05)) * b, z + random.Uniform(-10, 10),
                    sa * jitter, sb * jitter, sc * random.Uniform(0.85, 1.15), turn + random.Uniform(-0.25, 0.25), waves);
            }
            return
            [
                Make(1, -0.5, -0.05, 35, 0.55 * a, 0.8 * b, 80, -0.3),
                Make(2, 0.68, 0.35, 40, 0.2 * a, 0.35 * b, 50, 0.5),
                Make(3, 0.42, 0.45, -20, 25, 35, 50, 0.4),
                Make(4, -0.42, 0.45, -35, 25, 35, 50, -0.4),
                Make(5, 0.35, -0.4, 30, 0.32 * a, 0.3 * b, 55, 0.2),
            ];
        }

        /// <summary>The organ a point lies deepest inside, or 0.</summary>
        private static int Label(List<Organ> organs, double x, double y, double z)
        {
            int label = 0;
            double best = 0;
            foreach (var organ in organs)
            {
                if (Math.Abs(x - organ.X) > organ.Reach || Math.Abs(y - organ.Y) > organ.Reach) continue;
                double f = organ.Inside(x, y, z);
                if (f < best) (best, label) = (f, organ.Label);
            }
            return label;
        }

        /// <summary>
        /// HU of the spine at (x, y) relative to the vertebral body's centre, or NaN outside it: a
        /// round body (radius 18 mm, 3 mm cortex) with an 8 mm disc (80 HU) every 32 mm of z (z         /// round body (radius 18 mm, 3 mm cortex) with an 8 mm disc (80 HU) every 32 mm of z; behindgt; 0); behind
        /// it the spinal canal (10 HU) inside a bony arch, and the spinous process.
        /// </summary>
        private static double Spine(double x, double y, double z, double cancellous, double cortex)
        {
            double r = Math.Sqrt(x * x + y * y), canal = Math.Sqrt(x * x + Sq(y - 28));
            if (r < 18) return Math.Abs(z % 32 - 16) < 4 ? 80 : r > 15 ? cortex : cancellous;
            if (canal < 7) return 10;
            if (canal < 12 || Math.Abs(x) < 4 && y > 28 && y < 55) return 0.8 * cortex;
            return double.NaN;
        }

        private static double Sq(double v) => v * v;
    }
}
