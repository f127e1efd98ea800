using System.Diagnostics;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd synth vessels|organs</c>: writes a generated dataset to a folder, in the layout the
/// data commands read (paired images/ + masks/ for vessels, nnU-Net raw for organs). The same
/// seed gives byte-identical files.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var command = new Command("synth", "Write a generated segmentation dataset (no real data needed): 2-D angiogram-like vessel images or 3-D CT-like organ volumes.");
        command.Subcommands.Add(Vessels());
        command.Subcommands.Add(Organs());
        return command;
    }

    private static Command Vessels()
    {
        var common = new CommonOptions();
        var count = new Option<int>("--count") { Description = "Number of images.", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = $"Image side in pixels ({VesselGenerator.MinSize} to {VesselGenerator.MaxSize}).", DefaultValueFactory = _ => 256 };
        var contrast = new Option<double>("--contrast") { Description = "Scale of the vessels' contrast (default 1; the demo's faint task: 0.6).", DefaultValueFactory = _ => 1 };
        var noise = new Option<double>("--noise") { Description = "Scale of the quantum noise (default 1; the demo's faint task: 3).", DefaultValueFactory = _ => 1 };
        var blobs = new Option<int>("--blobs") { Description = "Extra dark distractor blobs per image (default 0; the demo's faint task: 4).", DefaultValueFactory = _ => 0 };
        var command = new Command("vessels", "X-ray angiogram-like images of branching vessel trees with distractors (catheter, ribs, blobs) and exact binary masks: " +
                                             "OUT/images/NNNN.png, OUT/masks/NNNN.png (0/255), OUT/dataset.json.");
        foreach (var o in new Option[] { common.Out, count, size, contrast, noise, blobs, common.Seed, common.Force }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            int n = parse.GetValue(count), side = parse.GetValue(size);
            VesselGenerator.Validate(n, side);
            var style = new VesselStyle(parse.GetValue(contrast), parse.GetValue(noise), parse.GetValue(blobs));
            style.Validate();
            return common.Write(parse, $"{n} vessel images of {side}×{side}", ["images", "masks"],
                (root, seed) => VesselGenerator.Write(root, n, side, seed, Progress(n, "images"), style));
        });
        return command;
    }

    private static Command Organs()
    {
        var common = new CommonOptions();
        var count = new Option<int>("--count") { Description = "Number of volumes.", DefaultValueFactory = _ => 20 };
        var size = new Option<int>("--size") { Description = $"In-plane side of a volume in voxels ({OrganGenerator.MinSize} to {OrganGenerator.MaxSize}; the field of view is 400 mm).", DefaultValueFactory = _ => 96 };
        var depth = new Option<int>("--depth") { Description = $"Slices per volume ({OrganGenerator.MinDepth} to {OrganGenerator.MaxDepth}, at most {OrganGenerator.MaxVoxels} voxels in all; the volumes span 160 mm).", DefaultValueFactory = _ => 16 };
        var command = new Command("organs", "CT-like abdominal volumes (liver, spleen, kidneys, stomach; overlapping intensities, spine and muscle distractors) with label maps, " +
                                           "in nnU-Net raw layout: OUT/imagesTr/case_NNNN_0000.nii.gz, OUT/labelsTr/case_NNNN.nii.gz, OUT/dataset.json.");
        foreach (var o in new Option[] { common.Out, count, size, depth, common.Seed, common.Force }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            int n = parse.GetValue(count), side = parse.GetValue(size), slices = parse.GetValue(depth);
            OrganGenerator.Validate(n, side, slices);
            return common.Write(parse, $"{n} volumes of {slices}×{side}×{side} voxels", ["imagesTr", "labelsTr"],
                (root, seed) => OrganGenerator.Write(root, n, side, slices, seed, Progress(n, "volumes")));
        });
        return command;
    }

    /// <summary>The options every generator takes: where it writes, the seed, and whether it may write into a folder that is not empty.</summary>
    private sealed class CommonOptions
    {
        public Option<string> Out { get; } = new("--out") { Description = "Folder to write the dataset into (created if missing).", Required = true };
        public Option<int> Seed { get; } = new("--seed") { Description = "Seed: the same seed gives byte-identical files.", DefaultValueFactory = _ => 0 };
        public Option<bool> Force { get; } = new("--force") { Description = "Write into a folder that is not empty (files of the same names are replaced)." };

        /// <summary>
        /// Runs <paramref name="generate"/> (the folder, the seed) into --out, then prints <paramref name="what"/> was written, in
        /// how long, and where: the <paramref name="folders"/> and dataset.json.
        /// </summary>
        public int Write(ParseResult parse, string what, string[] folders, Action<string, int> generate)
        {
            string root = Prepare(parse.GetValue(Out)!, parse.GetValue(Force));
            var clock = Stopwatch.StartNew();
            generate(root, parse.GetValue(Seed));
            var written = folders.Select(f => $"{Path.Combine(root, f)}/").Append(Path.Combine(root, "dataset.json"));
            Console.WriteLine($"wrote {what} in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", written)}");
            return 0;
        }
    }

    /// <summary>The full path of <paramref name="outDir"/>, refusing a non-empty folder unless forced.</summary>
    private static string Prepare(string outDir, bool force)
    {
        string root = Path.GetFullPath(outDir);
        if (File.Exists(root)) throw new IOException($"{root} is a file, not a folder");
        if (!force && Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new IOException($"{root} is not empty; choose another --out or add --force");
        return root;
    }

    /// <summary>Prints "done/total" on stderr every tenth of a run of 20 items or more, when stderr is a terminal.</summary>
    private static IProgress<int>? Progress(int total, string what) =>
        Console.IsErrorRedirected || total < 20 ? null : new TenthsProgress(total, what);

    /// <summary>Reports synchronously (from the generating threads), unlike <see cref="Progress{T}"/> which posts to the thread pool.</summary>
    private sealed class TenthsProgress(int total, string what) : IProgress<int>
    {
        public void Report(int done)
        {
            if (done % (total / 10) == 0 && done < total) Console.Error.WriteLine($"  {done}/{total} {what}");
        }
    }
}
