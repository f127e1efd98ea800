namespace Skd.Cli.Tests;

/// <summary><c>skd synth vessels|organs</c> as a user runs it.</summary>
public sealed class SynthCommandTests() : TempFolder("skd-synth-cli-")
{
    [Fact]
    public void VesselsAreWrittenAndANonEmptyFolderNeedsForce()
    {
        string dir = Path.Combine(root, "vessels");
        var (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", dir, "--count", "3", "--size", "64", "--seed", "2");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("wrote 3 vessel images of 64×64", stdout);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "images")).Length);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "masks")).Length);
        Assert.True(File.Exists(Path.Combine(dir, "dataset.json")));

        (code, _, stderr) = SkdProcess.Run("synth", "vessels", "--out", dir, "--count", "3", "--size", "64");
        Assert.NotEqual(0, code);
        Assert.Contains("not empty", stderr);
        Assert.Contains("--force", stderr);

        (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", dir, "--count", "3", "--size", "64", "--force");
        Assert.True(code == 0, stdout + stderr);
    }

    [Fact]
    public void OrgansAreWrittenInTheNnUnetLayout()
    {
        string dir = Path.Combine(root, "organs");
        var (code, stdout, stderr) = SkdProcess.Run("synth", "organs", "--out", dir, "--count", "2", "--size", "32", "--depth", "4");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("wrote 2 volumes of 4×32×32 voxels", stdout);
        Assert.True(File.Exists(Path.Combine(dir, "imagesTr", "case_0001_0000.nii.gz")));
        Assert.True(File.Exists(Path.Combine(dir, "labelsTr", "case_0001.nii.gz")));
        Assert.True(File.Exists(Path.Combine(dir, "dataset.json")));
    }

    [Theory]
    [InlineData("vessels", "--out", "--count", "--size", "--seed", "--force")]
    [InlineData("organs", "--out", "--count", "--size", "--depth", "--seed", "--force")]
    public void EveryOptionIsDocumented(string verb, params string[] options)
    {
        var (code, stdout, _) = SkdProcess.Run("synth", verb, "--help");
        Assert.Equal(0, code);
        foreach (var option in options)
        {
            string line = stdout.Split('\n').Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
            Assert.True(line.Trim().Length > option.Length + 20, $"{option} has no description: {line}");
        }
    }

    [Fact]
    public void BadSizesAreRefused()
    {
        var (code, stdout, stderr) = SkdProcess.Run("synth", "vessels", "--out", Path.Combine(root, "bad"), "--size", "16");
        Assert.NotEqual(0, code);
        Assert.Contains("--size", stdout + stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "bad")));
    }

    [Theory]
    [InlineData("vessels --size 100000", "the image side (--size) must be 32 to 4096, got 100000")]
    [InlineData("organs --size 5000 --depth 5000", "the in-plane side (--size) must be 32 to 1024, got 5000")]
    [InlineData("organs --size 1024 --depth 1024", "a volume of 1024×1024×1024 voxels is more than the 33554432")]
    [InlineData("vessels --count 0", "the number of images (--count) must be 1")]
    public void SizesThatCannotBeDrawnAreRefusedBeforeAnythingIsWritten(string arguments, string message)
    {
        string dir = Path.Combine(root, "huge");
        var (code, stdout, stderr) = SkdProcess.Run(["synth", .. arguments.Split(' '), "--out", dir]);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("Exception", stdout + stderr);
        Assert.False(Directory.Exists(dir));
    }
}
