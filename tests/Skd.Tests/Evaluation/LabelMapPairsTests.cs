namespace Skd.Tests.Evaluation;

/// <summary>How skd metrics pairs prediction files with label files.</summary>
public sealed class LabelMapPairsTests() : TempFolder("skd-pairs-")
{
    private string Folder(string name, params string[] files)
    {
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        foreach (var f in files) File.WriteAllText(Path.Combine(dir, f), "");
        return dir;
    }

    [Fact]
    public void SameNamesPairByName()
    {
        var pairs = LabelMapPairs.Match(Folder("p", "b.png", "a.nii.gz", "notes.txt"), Folder("l", "a.nii.gz", "b.png"));
        Assert.Equal(["a", "b"], pairs.Select(p => p.Id));
        Assert.EndsWith(Path.Combine("p", "a.nii.gz"), pairs[0].Prediction);
        Assert.EndsWith(Path.Combine("l", "b.png"), pairs[1].Label);
    }

    [Fact]
    public void NamesThatNeverMatchPairInNaturalOrder()
    {
        var pairs = LabelMapPairs.Match(Folder("p", "10.png", "2.png", "1.png"), Folder("l", "1_gt.png", "2_gt.png", "10_gt.png"));
        Assert.Equal(["1.png", "2.png", "10.png"], pairs.Select(p => Path.GetFileName(p.Prediction)));
        Assert.Equal(["1_gt", "2_gt", "10_gt"], pairs.Select(p => p.Id));
    }

    [Fact]
    public void FilesWithoutAPartnerAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => LabelMapPairs.Match(Folder("p", "a.png", "b.png", "c.png"), Folder("l", "a.png", "b.png", "d.png")));
        Assert.Contains("predictions without a label: c", e.Message);
        Assert.Contains("labels without a prediction: d", e.Message);
        e = Assert.Throws<ArgumentException>(() => LabelMapPairs.Match(Folder("p2", "1.png", "2.png"), Folder("l2", "x.png")));
        Assert.Contains("no file name matches and the counts differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => LabelMapPairs.Match(Folder("p3", "1.png"), Path.Combine(root, "l2", "x.png")));
        Assert.Contains("give two files or two folders", e.Message);
    }

    [Fact]
    public void TwoLabelMapsOfOneNameInAFolderAreNamed()
    {
        var e = Assert.Throws<Skd.Data.DataFormatException>(() => LabelMapPairs.Match(Folder("p", "a.png", "a.nii.gz"), Folder("l", "a.png")));
        Assert.Contains("a.nii.gz and a.png have the same name", e.Message);
    }

    [Fact]
    public void TwoFilesAreOnePair()
    {
        Folder("f", "pred.png", "case7.nii.gz");
        var pairs = LabelMapPairs.Match(Path.Combine(root, "f", "pred.png"), Path.Combine(root, "f", "case7.nii.gz"));
        Assert.Equal("case7", Assert.Single(pairs).Id);
    }
}
