namespace Skd.Tests.Data;

/// <summary>
/// Every JSON file the toolkit reads goes through <see cref="JsonFile"/>: a missing or mistyped
/// field is "FILE: field 'x' ...: expected ...", whichever file it is.
/// </summary>
public sealed class JsonFileTests() : TempFolder("skd-json-")
{
    private string Vessels()
    {
        string dir = Path.Combine(root, "vessels");
        VesselGenerator.Write(dir, 4, 32, seed: 1);
        return dir;
    }

    private static string Refusal(string dir) => Assert.Throws<DataFormatException>(() => SegmentationDataset.Open(dir)).Message;

    [Theory]
    [InlineData("""{"name": "x"}""", "field 'labels' is missing: expected an object of the class names and their values")]
    [InlineData("""{"labels": ["background", "vessel"]}""", "field 'labels' is a list: expected an object")]
    [InlineData("""{"labels": {"background": 0, "vessel": "one"}}""", "field 'labels.vessel' is a string (\"one\"): expected the class's value, a whole number")]
    [InlineData("""{"labels": {"0": "background", "1": true}}""", "field 'labels.1' is true: expected a string")]
    [InlineData("""{"labels": {"background": 0, "vessel": 1}, "channel_names": {"first": "CT"}}""", "field 'channel_names' is an object: expected channel numbers as keys")]
    [InlineData("""{"labels": {"background": 0, "vessel": 1}, "file_ending": 3}""", "field 'file_ending' is a number (3): expected a string")]
    [InlineData("""{"labels": {"background": 0, "vessel": 1}, "file_ending": "/../../../../etc/passwd"}""", "field 'file_ending' is a string (\"/../../../../etc/passwd\"): expected a file extension such as \".nii.gz\" or \".png\"")]
    [InlineData("""{"labels": {"background": 0, "vessel": 1}, "file_ending": ".nii*"}""", "field 'file_ending' is a string (\".nii*\"): expected a file extension")]
    [InlineData("""{"labels": {"background": 0, "vessel": 1}, "file_ending": "nii.gz"}""", "field 'file_ending' is a string (\"nii.gz\"): expected a file extension")]
    [InlineData("""{"labels": {"background": 0,""", "not valid JSON at line 1, byte 28: Expected start of a property name or value, but instead reached end of data.")]
    public void ABrokenDatasetJsonNamesTheFieldAndWhatWasExpected(string json, string problem)
    {
        string dir = Vessels(), path = Path.Combine(dir, "dataset.json");
        File.WriteAllText(path, json);
        Assert.StartsWith($"{path}: {problem}", Refusal(dir));
    }

    [Theory]
    [InlineData("""{"colours": []}""", "field 'classes' is missing: expected a list of {\"name\": ..., \"color\": [r, g, b] or a grey value}")]
    [InlineData("""{"classes": [{"name": "bg", "color": [0, 0, 0]}, {"name": "tool", "color": "red"}]}""", "field 'classes[1].color' is a string (\"red\"): expected [r, g, b] or a grey value (128 or [128]), each a whole number from 0 to 65535")]
    [InlineData("""{"classes": [{"name": "bg", "color": [0, 0, 0]}, {"name": "tool", "color": [0, 70000, 0]}]}""", "field 'classes[1].color[1]' is a number (70000): expected [r, g, b] or a grey value (128 or [128]), each a whole number from 0 to 65535")]
    [InlineData("""{"classes": [{"name": "bg", "color": [0, 0, 0]}, {"color": [9, 9, 9]}]}""", "field 'classes[1].name' is missing: expected the class's name")]
    public void ABrokenPaletteNamesTheFieldAndWhatWasExpected(string json, string problem)
    {
        string dir = Vessels(), path = Path.Combine(dir, "palette.json");
        File.Delete(Path.Combine(dir, "dataset.json"));
        File.WriteAllText(path, json);
        Assert.StartsWith($"{path}: {problem}", Refusal(dir));
    }

    [Theory]
    [InlineData("""{"train": []}""", "the document is an object: expected a list")]
    [InlineData("""[{"train": "0000", "val": []}]""", "field '[0].train' is a string (\"0000\"): expected a list")]
    [InlineData("""[{"train": ["0000"]}]""", "field '[0].val' is missing: expected a list of case ids")]
    public void ABrokenSplitsFileNamesTheFieldAndWhatWasExpected(string json, string problem)
    {
        string dir = Vessels(), path = Path.Combine(dir, "splits.json");
        File.WriteAllText(path, json);
        var dataset = SegmentationDataset.Open(dir);
        Assert.StartsWith($"{path}: {problem}", Assert.Throws<DataFormatException>(() => dataset.Split("train")).Message);
    }

    [Fact]
    public void ARecordNamesTheMissingUnknownOrMistypedField()
    {
        var options = new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        };
        string Problem(string json) => Assert.Throws<DataFormatException>(() => JsonFile.Deserialize<Sample>(json, "sample.json", options)).Message;
        Assert.Equal("sample.json: field 'name' is missing: expected a value for it", Problem("""{"rate": 1}"""));
        Assert.Equal("sample.json: field 'speed' is not a field of this file", Problem("""{"name": "a", "speed": 1}"""));
        Assert.Equal("sample.json: field 'rate' is a string (\"fast\"): expected a number", Problem("""{"name": "a", "rate": "fast"}"""));
        Assert.Equal("sample.json: field 'sizes[1]' is a string (\"b\"): expected a whole number", Problem("""{"name": "a", "sizes": [1, "b"]}"""));
        Assert.StartsWith("sample.json: not valid JSON at line 1", Problem("""{"name": """));
    }

    [Fact]
    public void AnImageThatCannotBeWrittenSaysWhy()
    {
        using var image = torch.Zeros([1, 8, 8], DType.UInt8);
        string missing = Path.Combine(root, "no-such-folder", "a.png");
        Assert.Equal($"{missing}: not written: the folder {Path.GetDirectoryName(missing)} does not exist",
                     Assert.Throws<DirectoryNotFoundException>(() => ImageFile.Write(missing, image)).Message);
        string odd = Path.Combine(root, "a.xyz");
        Assert.StartsWith($"{odd}: cannot write an image with the extension '.xyz'", Assert.Throws<DataFormatException>(() => ImageFile.Write(odd, image)).Message);
    }

    private sealed record Sample
    {
        public required string Name { get; init; }
        public double Rate { get; init; }
        public int[] Sizes { get; init; } = [];
    }
}
