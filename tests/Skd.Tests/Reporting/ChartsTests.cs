namespace Skd.Tests.Reporting;

/// <summary>
/// Line and bar charts drawn by ScottPlot, read back from their PNG: the series' colours where the
/// data puts them, error bars, text in a real font (not only ASCII).
/// </summary>
public sealed class ChartsTests() : TempFolder("skd-charts-")
{
    /// <summary>The chart saved as PNG and read back: (height, width, RGB) bytes.</summary>
    private sealed record Picture(int Width, int Height, byte[] Pixels)
    {
        public Rgb this[int x, int y] => new(Pixels[(y * Width + x) * 3], Pixels[(y * Width + x) * 3 + 1], Pixels[(y * Width + x) * 3 + 2]);

        public int Count(Rgb colour, int x0 = 0, int x1 = int.MaxValue, int y0 = 0, int y1 = int.MaxValue)
        {
            int n = 0;
            for (int y = Math.Max(0, y0); y < Math.Min(Height, y1); y++)
                for (int x = Math.Max(0, x0); x < Math.Min(Width, x1); x++)
                    if (this[x, y] == colour) n++;
            return n;
        }

        /// <summary>The topmost row holding <paramref name="colour"/> between columns x0 and x1, or -1.</summary>
        public int Top(Rgb colour, int x0, int x1)
        {
            for (int y = 0; y < Height; y++)
                for (int x = x0; x < x1; x++)
                    if (this[x, y] == colour) return y;
            return -1;
        }
    }

    private Picture Read(Chart chart, string name)
    {
        string path = Path.Combine(root, name);
        chart.Save(path);
        using var scope = new DisposeScope();
        var image = ImageFile.Read(path);
        Assert.Equal([3, chart.Height, chart.Width], image.Shape);
        return new Picture(chart.Width, chart.Height, image.Permute(1, 2, 0).Contiguous().ToArray<byte>());
    }

    [Fact]
    public void LinesAreDrawnInTheirColoursAndNaNsAreLeftOut()
    {
        var chart = Charts.Line("loss", "epoch", "value", [1, 2, 3, 4],
            [new LineSeries("falling", [1.0, 0.8, 0.5, 0.4]), new LineSeries("gappy", [0.2, double.NaN, 0.3, 0.35])]);
        var image = Read(chart, "lines.png");
        Assert.Equal((Charts.DefaultWidth, Charts.DefaultHeight), (image.Width, image.Height));
        Assert.True(image.Count(Charts.SeriesColour(0)) > 100);
        Assert.True(image.Count(Charts.SeriesColour(1)) > 50);
        // The falling line starts high on the left and ends low on the right (the legend is top right).
        Assert.True(image.Top(Charts.SeriesColour(0), 60, 120) < image.Top(Charts.SeriesColour(0), image.Width - 200, image.Width - 100));
        Assert.Throws<ArgumentException>(() => Charts.Line("t", "x", "y", [1, 2], [new LineSeries("short", [1.0])]));
    }

    [Fact]
    public void RotatedLabelsEndAboveTheImagesBottomEdge()
    {
        string[] labels = ["supervised w8", "dskd w8", "acw-skd w8", "supervised (reference) w32"];
        var chart = Charts.Bars("Dice", "Dice", labels, [new BarSeries("mean", [0.65, 0.70, 0.66, 0.72], [0.06, 0.01, 0.03, 0])]);
        var image = Read(chart, "rotated.png");
        int dark = 0;
        for (int y = image.Height - 6; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] is { R: < 160, G: < 160, B: < 160 }) dark++;
        Assert.Equal(0, dark);   // the labels' text is cut at the edge when the axis leaves no room for it
    }

    [Fact]
    public void BarsReachTheirValuesWithErrorBarsAbove()
    {
        var chart = Charts.Bars("Dice", "Dice", ["unet", "skd"], [new BarSeries("mean", [0.4, 0.8], [0.05, 0.1]), new BarSeries("other", [0.6, 0.2])]);
        var image = Read(chart, "bars.png");
        var blue = Charts.SeriesColour(0);
        int half = image.Width / 2;
        int leftTop = image.Top(blue, 0, half), rightTop = image.Top(blue, half, half + 150);
        Assert.True(leftTop > 0 && rightTop > 0 && rightTop < leftTop, $"bar tops {leftTop}, {rightTop}");
        Assert.True(image.Count(Charts.SeriesColour(1)) > 200);
        // The error bar of the 0.8 bar: dark pixels above the bar's top (below the title), in the right group.
        int darkAbove = 0;
        for (int y = 40; y < rightTop - 2; y++)
            for (int x = half; x < half + 150; x++)
                if (image[x, y] is { R: < 80, G: < 80, B: < 80 }) darkAbove++;
        Assert.True(darkAbove > 10, $"{darkAbove} dark pixels above the bar");
    }

    [Fact]
    public void BarsThatAreAllZeroStandOnTheBottomAxis()
    {
        // Every run of a comparison scoring Dice 0: ScottPlot centred 0 in −1..1, drawing the bars
        // as black lines across the middle under an axis of negative Dice.
        var image = Read(Charts.Bars("Dice", "Dice (%)", ["a", "b"], [new BarSeries("mean", [0.0, 0.0], [0.0, 0.0])]), "zeros.png");
        for (int y = image.Height / 4; y < image.Height * 3 / 4; y++)
        {
            int dark = 0;
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] is { R: < 80, G: < 80, B: < 80 }) dark++;
            Assert.True(dark < 100, $"row {y} of {image.Height} holds a line of {dark} dark pixels");
        }
    }

    [Fact]
    public void TextIsDrawnInARealFontBeyondAscii()
    {
        // OpenCV's Hershey font drew every non-ASCII character as '?': "±" and "?" gave the same picture.
        var plusMinus = Read(Charts.Bars("Dice ± std", "Dice (%)", ["a"], [new BarSeries("s", [1.0])]), "pm.png");
        var question = Read(Charts.Bars("Dice ? std", "Dice (%)", ["a"], [new BarSeries("s", [1.0])]), "q.png");
        Assert.NotEqual(plusMinus.Pixels, question.Pixels);
        // Text is there at all: dark anti-aliased pixels in the title's rows.
        int dark = 0;
        for (int y = 0; y < 30; y++)
            for (int x = 0; x < plusMinus.Width; x++)
                if (plusMinus[x, y] is { R: < 100, G: < 100, B: < 100 }) dark++;
        Assert.True(dark > 30, $"{dark} dark pixels in the title");
    }

    [Fact]
    public void ChartsSideBySideKeepBothPanels()
    {
        var left = Charts.Line("a", "x", "y", [1, 2], [new LineSeries("first", [1.0, 2.0])], width: 300, height: 200);
        var right = Charts.Line("b", "x", "y", [1, 2], [new LineSeries("first", [2.0, 1.0])], width: 320, height: 240);
        var image = Read(left.Beside(right), "beside.png");
        Assert.Equal((620, 240), (image.Width, image.Height));
        Assert.True(image.Count(Charts.SeriesColour(0), 0, 300) > 50);
        Assert.True(image.Count(Charts.SeriesColour(0), 300, 620) > 50);
    }

    [Fact]
    public void ChartsInRowsKeepEveryPanel()
    {
        var top = Charts.Line("a", "x", "y", [1, 2], [new LineSeries("first", [1.0, 2.0])], width: 300, height: 200);
        var bottom = Charts.Line("b", "x", "y", [1, 2], [new LineSeries("first", [2.0, 1.0])], width: 320, height: 240)
            .Beside(Charts.Line("c", "x", "y", [1, 2], [new LineSeries("first", [2.0, 1.0])], width: 280, height: 180));
        var image = Read(top.Above(bottom), "rows.png");
        Assert.Equal((600, 440), (image.Width, image.Height));
        Assert.True(image.Count(Charts.SeriesColour(0), 0, 300, 0, 200) > 50);
        Assert.True(image.Count(Charts.SeriesColour(0), 0, 320, 200, 440) > 50);
        Assert.True(image.Count(Charts.SeriesColour(0), 320, 600, 200, 380) > 50);
        Assert.Equal(0, image.Count(Charts.SeriesColour(0), 300, 600, 0, 200));   // nothing right of the top panel
    }
}
