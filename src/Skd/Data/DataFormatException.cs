namespace Skd.Data;

/// <summary>A data file that cannot be read as expected; the message names the file and the problem.</summary>
public sealed class DataFormatException(string message) : Exception(message);
