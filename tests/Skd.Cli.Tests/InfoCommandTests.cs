namespace Skd.Cli.Tests;

/// <summary><c>skd info</c> as a user runs it.</summary>
public class InfoCommandTests
{
    [Fact]
    public void TheOriginalUNetHas31MillionParameters()
    {
        var (code, stdout, stderr) = SkdProcess.Run("info", "--model", "unet", "--width", "64", "--in", "1", "--classes", "2", "--size", "224");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("31.04 M", stdout);
        Assert.Contains("31,036,546 parameters", stdout);
        Assert.Contains("down4", stdout);
        Assert.Contains("1024×14×14", stdout);
    }

    [Fact]
    public void JsonListsEveryStage()
    {
        var (code, stdout, stderr) = SkdProcess.Run("info", "--width", "16", "--depth", "3", "--in", "3", "--classes", "9", "--size", "64", "--json");
        Assert.True(code == 0, stdout + stderr);
        var info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(16, info.GetProperty("width").GetInt32());
        var parts = info.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(["inc", "down1", "down2", "down3", "up1", "up2", "up3", "outc"], parts.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(parts.Sum(p => p.GetProperty("macs").GetInt64()), info.GetProperty("macs").GetInt64());
        Assert.Equal(parts.Sum(p => p.GetProperty("parameters").GetInt64()), info.GetProperty("parameters").GetInt64());
        Assert.Equal([9, 64, 64], parts[^1].GetProperty("output").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void ASizeThatDoesNotHalveEvenlyIsOneClearLine()
    {
        var (code, _, stderr) = SkdProcess.Run("info", "--size", "100");
        Assert.Equal(1, code);
        Assert.Contains("skd info: error:", stderr);
        Assert.Contains("multiples of 16", stderr);
    }

    [Fact]
    public void AMethodWithoutExtrasLeavesTheProfileAlone()
    {
        var (code, stdout, stderr) = SkdProcess.Run("info", "--width", "16", "--size", "64", "--method", "supervised", "--json");
        Assert.True(code == 0, stdout + stderr);
        var info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1_942_306, info.GetProperty("parameters").GetInt64());
        Assert.Equal(info.GetProperty("parameters").GetInt64(), info.GetProperty("training_parameters").GetInt64());
    }

    [Fact]
    public void MethodOptionsChangeTheTrainingOnlyParts()
    {
        // frm-width=4 widens ACW-SKD's FRM (16 → 64 → 16 channels, two 3×3 convs): 4× its parameters, none of them deployed.
        long Frm(params string[] options)
        {
            var (code, stdout, stderr) = SkdProcess.Run(["info", "--width", "16", "--size", "64", "--method", "acw-skd", "--json", .. options]);
            Assert.True(code == 0, stdout + stderr);
            var info = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(1_942_306, info.GetProperty("parameters").GetInt64());
            return info.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "frm").GetProperty("parameters").GetInt64();
        }
        Assert.Equal(2 * 9 * 16 * 16 + 4 * 16, Frm());
        Assert.Equal(2 * 9 * 16 * 64 + 2 * 64 + 2 * 16, Frm("--option", "frm-width=4"));

        var (badCode, _, badError) = SkdProcess.Run("info", "--method", "acw-skd", "--option", "frm-width=0");
        Assert.Equal(1, badCode);
        Assert.Contains("frm-width=0", badError);
        var (lonelyCode, _, lonelyError) = SkdProcess.Run("info", "--option", "frm-width=2");
        Assert.Equal(1, lonelyCode);
        Assert.Contains("give --method too", lonelyError);
        var (offlineCode, _, offlineError) = SkdProcess.Run("info", "--method", "kd", "--option", "kd-weight=2");
        Assert.Equal(1, offlineCode);
        Assert.Contains("do not change the profile", offlineError);
    }

    [Fact]
    public void AnUnknownMethodIsOneClearLine()
    {
        var (code, _, stderr) = SkdProcess.Run("info", "--method", "nonesuch");
        Assert.Equal(1, code);
        Assert.Contains("unknown method 'nonesuch'", stderr);
        Assert.Contains("supervised", stderr);
    }

    [Fact]
    public void MethodsListsEveryMethodWithItsOptions()
    {
        var (code, stdout, stderr) = SkdProcess.Run("methods");
        Assert.True(code == 0, stdout + stderr);
        foreach (var m in Skd.Distillation.Methods.All)
        {
            Assert.Contains(m.Name, stdout);
            foreach (var o in m.Options) Assert.Contains(o.Name, stdout);
        }
    }
}
