namespace Skd.Reporting;

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    internal ScottPlot.Color ToScottPlot() => new(R, G, B);
}
