using Skd.Data.Formats;
using Skd.Reporting;

namespace Skd.Tests.Reporting;

/// <summary>Line and bar charts drawn by OpenCV: the series' colours where the data puts them, error bars, PNG round trip.</summary>
public sealed class ChartsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skd-charts-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    private static int Count(RgbImage image, Rgb colour, int x0 = 0, int x1 = int.MaxValue)
    {
        int n = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = Math.Max(0, x0); x < Math.Min(image.Width, x1); x++)
                if (image[x, y] == colour) n++;
        return n;
    }

    /// <summary>The topmost row holding <paramref name="colour"/> between columns x0 and x1, or -1.</summary>
    private static int Top(RgbImage image, Rgb colour, int x0, int x1)
    {
        for (int y = 0; y < image.Height; y++)
            for (int x = x0; x < x1; x++)
                if (image[x, y] == colour) return y;
        return -1;
    }

    [Fact]
    public void LinesAreDrawnInTheirColoursAndNaNsAreLeftOut()
    {
        var image = Charts.Line("loss", "epoch", "value", [1, 2, 3, 4],
            [new LineSeries("falling", [1.0, 0.8, 0.5, 0.4]), new LineSeries("gappy", [0.2, double.NaN, 0.3, 0.35])]);
        Assert.Equal((Charts.DefaultWidth, Charts.DefaultHeight), (image.Width, image.Height));
        Assert.True(Count(image, Charts.SeriesColour(0)) > 100);
        Assert.True(Count(image, Charts.SeriesColour(1)) > 50);
        // The falling line starts high on the left and ends low on the right.
        Assert.True(Top(image, Charts.SeriesColour(0), 60, 120) < Top(image, Charts.SeriesColour(0), image.Width - 200, image.Width - 100));
        Assert.Throws<ArgumentException>(() => Charts.Line("t", "x", "y", [1, 2], [new LineSeries("short", [1.0])]));
    }

    [Fact]
    public void BarsReachTheirValuesWithErrorBarsAbove()
    {
        var image = Charts.Bars("Dice", "Dice", ["unet", "skd"],
            [new BarSeries("mean", [0.4, 0.8], [0.05, 0.1]), new BarSeries("other", [0.6, 0.2])]);
        var blue = Charts.SeriesColour(0);
        int half = image.Width / 2;   // the legend lies right of half + 200
        int leftTop = Top(image, blue, 0, half), rightTop = Top(image, blue, half, half + 150);
        Assert.True(leftTop > 0 && rightTop > 0 && rightTop < leftTop, $"bar tops {leftTop}, {rightTop}");
        Assert.True(Count(image, Charts.SeriesColour(1)) > 200);
        // The error bar of the 0.8 bar: dark pixels above the bar's top (below the title), in the right group.
        int darkAbove = 0;
        for (int y = 40; y < rightTop; y++)
            for (int x = half; x < half + 150; x++)
                if (image[x, y] is { R: < 80, G: < 80, B: < 80 }) darkAbove++;
        Assert.True(darkAbove > 20, $"{darkAbove} dark pixels above the bar");
    }

    [Fact]
    public void ASavedChartReadsBackPixelForPixel()
    {
        var image = Charts.Bars("t", "y", ["a"], [new BarSeries("s", [1.0])], width: 200, height: 160);
        string path = Path.Combine(root, "bars.png");
        image.Save(path);
        using var read = ImageFile.Read(path);
        Assert.Equal([3, 160, 200], read.Shape);
        Assert.Equal(image.Pixels, read.Permute(1, 2, 0).Contiguous().ToArray<byte>());
    }
}
