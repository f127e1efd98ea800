namespace Skd.Data.Synthetic;

/// <summary>One generated angiogram: 8-bit grey pixels, the exact vessel mask and where the distractors lie.</summary>
/// <param name="Size">Side in pixels; the arrays are row-major, Size × Size.</param>
/// <param name="Pixels">The image, 0..255.</param>
/// <param name="Mask">255 on vessel pixels, 0 elsewhere.</param>
/// <param name="Distractors">Pixels covered by the catheter or a blob (dark, vessel-like, never labelled).</param>
public sealed record VesselImage(int Size, byte[] Pixels, byte[] Mask, bool[] Distractors);

/// <summary>
/// How hard a generated vessel image is: <see cref="Contrast"/> scales the iodine contrast of every
/// vessel, <see cref="Noise"/> the quantum noise, <see cref="Blobs"/> adds that many more dark,
/// vessel-like distractor blobs (never in the mask). <see cref="Standard"/> is <c>skd synth
/// vessels</c>' look (clean, bright vessels: at 64² a U-Net of width 8 reaches 94.5 % Dice, as
/// well as one of width 32); <see cref="Faint"/> is the demo's task, where width matters.
/// </summary>
/// <param name="Contrast">Scale of every vessel's iodine contrast (1: as drawn; the catheter and blobs keep theirs).</param>
/// <param name="Noise">Scale of the quantum noise (1: as drawn).</param>
/// <param name="Blobs">Dark blobs added to the zero to three every image has.</param>
public sealed record VesselStyle(double Contrast = 1, double Noise = 1, int Blobs = 0)
{
    public static readonly VesselStyle Standard = new();

    /// <summary>
    /// Fainter vessels (0.6 of the contrast) in three times the noise, among four more blobs: the
    /// demo's task, where the compact student falls clearly below a wide U-Net (measured in DemoCommand).
    /// </summary>
    public static readonly VesselStyle Faint = new(Contrast: 0.6, Noise: 3, Blobs: 4);

    /// <summary>Throws an <see cref="ArgumentException"/> unless contrast and noise are positive and finite and the blobs 0 to 100.</summary>
    public void Validate()
    {
        if (!(Contrast > 0 && double.IsFinite(Contrast)) || !(Noise >= 0 && double.IsFinite(Noise)))
            throw new ArgumentException($"the vessel contrast must be positive and the noise scale non-negative, got contrast {Contrast}, noise {Noise}");
        SyntheticNoise.Require("the extra blobs", "blobs", Blobs, 0, 100);
    }
}

/// <summary>
/// X-ray coronary angiogram look-alikes with exact vessel masks, written in the paired-folder
/// layout of XCAD. The model of an image, drawn in this order:
/// <list type="number">
/// <item>Background: an X-ray field of view lit unevenly (a tilt plus a few broad bright and dark
/// lobes: heart shadow, lung), with grain at two scales (fine and mottled).</item>
/// <item>Ribs: two to four broad, faint, gently curved bands (arcs of large circles) that darken
/// the background a little: long straight-ish structures that are not vessels.</item>
/// <item>The vessel tree: a trunk grown from an ostium as a smooth random walk (a steady bend
/// plus a wandering curvature), with child branches at random points that leave at 20–75°; the
/// radius tapers along every branch and drops at each bifurcation, children are thinner than
/// their parent, and the iodine contrast fades with branching depth. A vessel at distance d from
/// its centreline with radius r darkens the image by a rounded profile (thicker in the middle, as
/// an X-ray path through a cylinder), so thin distal branches are faint like in real angiograms.
/// The mask is exactly the set of pixel centres with d &lt; r.</item>
/// <item>Distractors, never in the mask: the guiding catheter, a long tube of constant width and
/// flat darkness entering from the border and ending at the ostium; zero to three small dark
/// blobs (clips, calcifications); in a third of the images a circular collimator that blacks
/// out the outside of the field (the mask is cut at its edge, where nothing is visible).</item>
/// <item>Imaging: a slight blur (the only anti-aliasing, on the image alone) and
/// intensity-dependent quantum noise; then 8-bit quantisation.</item>
/// </list>
/// Lengths scale with the image side (the reference is 256 px); each image has 3–10 % vessel
/// pixels (the tree is regrown until it does), like real angiograms.
/// </summary>
public static class VesselGenerator
{
    private const double MinFraction = 0.03, MaxFraction = 0.10;

    /// <summary>The image side's range: 4096² pixels take about 1 GB and half a minute to draw.</summary>
    public const int MinSize = 32, MaxSize = 4096;

    /// <summary>Throws an <see cref="ArgumentException"/> unless the count is positive and the side in [<see cref="MinSize"/>, <see cref="MaxSize"/>].</summary>
    public static void Validate(int count, int size)
    {
        SyntheticNoise.Require("the number of images", "count", count, 1, int.MaxValue);
        SyntheticNoise.Require("the image side", "size", size, MinSize, MaxSize);
    }

    /// <summary>Image <paramref name="index"/> of the set seeded with <paramref name="seed"/>, in <paramref name="style"/> (default <see cref="VesselStyle.Standard"/>).</summary>
    public static VesselImage Generate(int size, int seed, int index, VesselStyle? style = null)
    {
        Validate(1, size);
        style ??= VesselStyle.Standard;
        style.Validate();
        var random = SyntheticNoise.ItemRandom(seed, index);
        return new Painter(size, random, style).Paint();
    }

    /// <summary>
    /// Writes <c>images/NNNN.png</c>, <c>masks/NNNN.png</c> (0/255) and <c>dataset.json</c> under
    /// <paramref name="outDir"/> (created if missing; existing files of the same names are replaced).
    /// Reports the number of images written so far to <paramref name="progress"/>.
    /// </summary>
    public static void Write(string outDir, int count, int size, int seed, IProgress<int>? progress = null, VesselStyle? style = null)
    {
        Validate(count, size);
        style ??= VesselStyle.Standard;
        style.Validate();
        string images = Path.Combine(outDir, "images"), masks = Path.Combine(outDir, "masks");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(masks);
        int done = 0;
        Parallel.For(0, count, SyntheticNoise.Workers((long)size * size), i =>
        {
            var image = Generate(size, seed, i, style);
            string name = $"{i:D4}.png";
            using (var pixels = Tensor.From(image.Pixels, size, size)) ImageFile.Write(Path.Combine(images, name), pixels);
            using (var mask = Tensor.From(image.Mask, size, size)) ImageFile.Write(Path.Combine(masks, name), mask);
            progress?.Report(Interlocked.Increment(ref done));
        });
        var description = new
        {
            name = "synthetic-vessels", layout = "paired",
            labels = new Dictionary<string, int> { ["background"] = 0, ["vessel"] = 1 },
            numTraining = count, seed, size, generator = "skd synth vessels",
            style = style == VesselStyle.Standard ? null : new { contrast = style.Contrast, noise = style.Noise, blobs = style.Blobs },
        };
        AtomicFile.WriteText(Path.Combine(outDir, "dataset.json"), JsonSerializer.Serialize(description, SyntheticNoise.Indented) + "\n");
    }

    /// <summary>Draws one image; fields are row-major float arrays in [0, 1] (1 = bright).</summary>
    private sealed class Painter(int size, Random random, VesselStyle style)
    {
        private readonly double scale = size / 256.0;
        private readonly int n = size * size;

        public VesselImage Paint()
        {
            var fieldOfView = Collimator();
            var background = Background();
            var (vessels, mask) = VesselTree(fieldOfView);
            var (catheter, distractors) = (new float[n], new bool[n]);
            if (random.NextDouble() < 0.85) Catheter(catheter, distractors);
            Blobs(catheter, distractors, random.Next(0, 4) + style.Blobs);

            double dark = random.Uniform(0.03, 0.12), noise = style.Noise * random.Uniform(0.008, 0.02);
            var image = new float[n];
            for (int p = 0; p < n; p++)
            {
                double lit = background[p] * (1 - vessels[p]) * (1 - catheter[p]);
                image[p] = (float)(fieldOfView[p] * lit + (1 - fieldOfView[p]) * dark);
            }
            SyntheticNoise.Blur(image, 1, size, size, 0, 0.7 * Math.Max(scale, 0.75));
            var pixels = new byte[n];
            var maskBytes = new byte[n];
            for (int p = 0; p < n; p++)
            {
                double value = image[p] + noise * Math.Sqrt(Math.Max(image[p], 0) / 0.6) * random.Gaussian();
                pixels[p] = (byte)Math.Clamp(Math.Round(255 * value), 0, 255);
                maskBytes[p] = mask[p] ? (byte)255 : (byte)0;
            }
            return new VesselImage(size, pixels, maskBytes, distractors);
        }

        /// <summary>1 inside the X-ray field, 0 outside, with a 2-pixel soft edge; all 1 without a collimator.</summary>
        private float[] Collimator()
        {
            var field = new float[n];
            Array.Fill(field, 1f);
            if (random.NextDouble() >= 1 / 3.0) return field;
            double cx = size * random.Uniform(0.3, 0.7), cy = size * random.Uniform(0.3, 0.7), radius = size * random.Uniform(0.62, 0.8);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    field[y * size + x] = (float)Math.Clamp((radius - Math.Sqrt(Sq(x + 0.5 - cx) + Sq(y + 0.5 - cy))) / 2 + 0.5, 0, 1);
            return field;
        }

        /// <summary>Uneven illumination times fine and mottled grain, darkened by rib bands.</summary>
        private float[] Background()
        {
            double level = random.Uniform(0.5, 0.72), tiltX = random.Uniform(-0.15, 0.15), tiltY = random.Uniform(-0.15, 0.15);
            // Lobes are Gaussians, separable: a profile along x times one along y.
            var lobes = Enumerable.Range(0, random.Next(2, 5)).Select(_ => (X: Profile(random.NextDouble(), random.Uniform(0.15, 0.4)),
                Y: Profile(random.NextDouble(), random.Uniform(0.15, 0.4)), Amplitude: random.Uniform(-0.15, 0.12))).ToList();
            var ribs = Enumerable.Range(0, random.Next(2, 5)).Select(_ => Rib()).ToList();
            var fine = SyntheticNoise.Smooth(random, 1, size, size, 0, 1.2 * scale);
            var mottle = SyntheticNoise.Smooth(random, 1, size, size, 0, 6 * scale);
            double fineAmplitude = random.Uniform(0.01, 0.025), mottleAmplitude = random.Uniform(0.02, 0.05);

            var field = new float[n];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double u = (x + 0.5) / size, v = (y + 0.5) / size;
                    double light = level + tiltX * (u - 0.5) + tiltY * (v - 0.5);
                    foreach (var l in lobes) light += l.Amplitude * l.X[x] * l.Y[y];
                    foreach (var r in ribs)
                    {
                        double across = Math.Abs(Math.Sqrt(Sq(x + 0.5 - r.X) + Sq(y + 0.5 - r.Y)) - r.Radius);
                        light *= 1 - r.Darkness * Math.Clamp((r.HalfWidth - across) / (3 * scale), 0, 1);
                    }
                    int p = y * size + x;
                    field[p] = (float)(light * (1 + fineAmplitude * fine[p] + mottleAmplitude * mottle[p]));
                }
            return field;
        }

        /// <summary>exp(−(t − centre)² / 2σ²) at the pixel centres t = (i + 0.5) / size.</summary>
        private double[] Profile(double centre, double sigma) =>
            [.. Enumerable.Range(0, size).Select(i => Math.Exp(-Sq((i + 0.5) / size - centre) / (2 * sigma * sigma)))];

        /// <summary>A rib: a band along an arc of a circle whose centre lies well outside the image.</summary>
        private (double X, double Y, double Radius, double HalfWidth, double Darkness) Rib()
        {
            double angle = random.Uniform(0, 2 * Math.PI), distance = size * random.Uniform(1.0, 2.0);
            double x = size / 2.0 + distance * Math.Cos(angle), y = size / 2.0 + distance * Math.Sin(angle);
            return (x, y, distance + size * random.Uniform(-0.4, 0.4), scale * random.Uniform(6, 14), random.Uniform(0.03, 0.08));
        }

        private readonly record struct Point(double X, double Y, double Radius);

        private sealed record Branch(List<Point> Points, double Contrast);

        /// <summary>Where the trunk starts and its direction: the catheter ends there.</summary>
        private double ostiumX, ostiumY, ostiumHeading;

        /// <summary>
        /// Grows trees until one covers 3–10 % of the image (the 51st try is kept whatever its size),
        /// painting its darkness (max over overlapping segments) and its mask, cut at the collimator's edge.
        /// </summary>
        private (float[] Darkness, bool[] Mask) VesselTree(float[] fieldOfView)
        {
            var darkness = new float[n];
            var mask = new bool[n];
            for (int attempt = 0; ; attempt++)
            {
                Array.Clear(darkness);
                Array.Clear(mask);
                do
                {
                    ostiumX = size * random.Uniform(0.15, 0.85);
                    ostiumY = size * (random.NextDouble() < 0.5 ? random.Uniform(0.1, 0.4) : random.Uniform(0.6, 0.9));
                } while (fieldOfView[(int)ostiumY * size + (int)ostiumX] < 1);
                ostiumHeading = Math.Atan2(size / 2.0 - ostiumY, size / 2.0 - ostiumX) + random.Uniform(-0.7, 0.7);
                double trunkRadius = scale * random.Uniform(3.0, 4.5), contrast = style.Contrast * random.Uniform(0.3, 0.6);
                var branches = new List<Branch>();
                Grow(branches, ostiumX, ostiumY, ostiumHeading, trunkRadius, size * random.Uniform(0.7, 1.1), contrast, 0);
                foreach (var branch in branches)
                    for (int i = 1; i < branch.Points.Count; i++)
                        PaintSegment(branch.Points[i - 1], branch.Points[i], (r, d) =>
                            branch.Contrast * Math.Min(1, Math.Sqrt(r / trunkRadius)) * (0.45 + 0.55 * Math.Sqrt(1 - Sq(d / r))), darkness, mask);
                for (int p = 0; p < n; p++) mask[p] &= fieldOfView[p] >= 0.5;
                double fraction = mask.Count(m => m) / (double)n;
                if (fraction is >= MinFraction and <= MaxFraction || attempt >= 50) return (darkness, mask);
            }
        }

        /// <summary>
        /// Walks one branch in steps of 1.5 px (scaled), turning by a steady bend plus a wandering
        /// (autoregressive) curvature per step; the radius tapers linearly and drops by 10–20 % after each child it gives off.
        /// </summary>
        private void Grow(List<Branch> branches, double x, double y, double heading, double radius, double length, double contrast, int depth)
        {
            double step = 1.5 * scale, bend = random.Uniform(-0.012, 0.012), wander = random.Uniform(0.005, 0.02);
            int steps = Math.Max(2, (int)(length / step));
            double taper = random.Uniform(0.25, 0.5), minRadius = Math.Max(0.8, 1.1 * scale);
            int childCount = depth switch { 0 => random.Next(3, 6), 1 => random.Next(1, 4), 2 => random.Next(0, 2), _ => 0 };
            var childAt = Enumerable.Range(0, childCount).Select(_ => (int)(steps * random.Uniform(0.1, 0.85))).Order().ToList();
            var points = new List<Point>(steps + 1);
            double curvature = 0, drop = 1;
            for (int i = 0; i <= steps; i++)
            {
                double r = Math.Max(minRadius, radius * drop * (1 - taper * i / steps));
                points.Add(new Point(x, y, r));
                if (x < -size * 0.2 || y < -size * 0.2 || x > size * 1.2 || y > size * 1.2) break;
                while (childAt.Count > 0 && childAt[0] == i)
                {
                    childAt.RemoveAt(0);
                    double side = random.NextDouble() < 0.5 ? -1 : 1;
                    Grow(branches, x, y, heading + side * random.Uniform(0.35, 1.3), r * random.Uniform(0.55, 0.85),
                        (steps - i) * step * random.Uniform(0.5, 1.0), contrast * random.Uniform(0.75, 1.0), depth + 1);
                    drop *= random.Uniform(0.8, 0.9);
                }
                curvature = 0.9 * curvature + wander * random.Gaussian();
                heading += bend + curvature;
                x += step * Math.Cos(heading);
                y += step * Math.Sin(heading);
            }
            branches.Add(new Branch(points, contrast));
        }

        /// <summary>
        /// The guiding catheter: from just short of the ostium backwards (away from the trunk) to
        /// past the border, nearly straight, constant width, nearly flat darkness.
        /// </summary>
        private void Catheter(float[] darkness, bool[] covered)
        {
            double radius = scale * random.Uniform(1.6, 2.4), contrast = random.Uniform(0.3, 0.55);
            double heading = ostiumHeading + Math.PI + random.Uniform(-0.6, 0.6), bend = random.Uniform(-0.006, 0.006);
            double step = 2 * scale, gap = scale * random.Uniform(0, 3);
            var previous = new Point(ostiumX - gap * Math.Cos(ostiumHeading), ostiumY - gap * Math.Sin(ostiumHeading), radius);
            for (int i = 0; i < 4 * size / step; i++)
            {
                heading += bend;
                var next = new Point(previous.X + step * Math.Cos(heading), previous.Y + step * Math.Sin(heading), radius);
                PaintSegment(previous, next, (r, d) => contrast * (0.85 + 0.15 * Math.Sqrt(1 - Sq(d / r))), darkness, covered);
                if (next.X < -radius || next.Y < -radius || next.X > size + radius || next.Y > size + radius) return;
                previous = next;
            }
        }

        /// <summary><paramref name="count"/> small dark round blobs anywhere (zero to three, plus the style's extra ones).</summary>
        private void Blobs(float[] darkness, bool[] covered, int count)
        {
            for (int b = count; b > 0; b--)
            {
                var centre = new Point(size * random.NextDouble(), size * random.NextDouble(), scale * random.Uniform(2, 5));
                double contrast = random.Uniform(0.2, 0.45);
                PaintSegment(centre, centre, (r, d) => contrast * Math.Sqrt(1 - Sq(d / r)), darkness, covered);
            }
        }

        /// <summary>
        /// Paints a tapered capsule (radius interpolated between the end points): every pixel
        /// centre at distance d &lt; r from the segment gets <c>max(darkness, profile(r, d))</c> and is
        /// marked in <paramref name="covered"/>. Pixel (x, y) covers [x, x + 1) × [y, y + 1).
        /// </summary>
        private void PaintSegment(Point a, Point b, Func<double, double, double> profile, float[] darkness, bool[] covered)
        {
            double reach = Math.Max(a.Radius, b.Radius);
            int x0 = Math.Max(0, (int)Math.Floor(Math.Min(a.X, b.X) - reach)), x1 = Math.Min(size - 1, (int)Math.Ceiling(Math.Max(a.X, b.X) + reach));
            int y0 = Math.Max(0, (int)Math.Floor(Math.Min(a.Y, b.Y) - reach)), y1 = Math.Min(size - 1, (int)Math.Ceiling(Math.Max(a.Y, b.Y) + reach));
            double dx = b.X - a.X, dy = b.Y - a.Y, length2 = dx * dx + dy * dy;
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                {
                    double px = x + 0.5 - a.X, py = y + 0.5 - a.Y;
                    double t = length2 > 0 ? Math.Clamp((px * dx + py * dy) / length2, 0, 1) : 0;
                    double r = a.Radius + t * (b.Radius - a.Radius), d = Math.Sqrt(Sq(px - t * dx) + Sq(py - t * dy));
                    if (d >= r) continue;
                    int p = y * size + x;
                    darkness[p] = Math.Max(darkness[p], (float)profile(r, d));
                    covered[p] = true;
                }
        }

        private static double Sq(double v) => v * v;
    }
}
