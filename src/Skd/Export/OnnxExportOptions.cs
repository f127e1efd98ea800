namespace Skd.Export;

/// <summary>How <see cref="UNetOnnxExporter"/> writes a graph.</summary>
/// <param name="FoldBatchNorm">Fold each batch norm into the convolution before it (W·γ/√(σ²+ε), β + (b − μ)·γ/√(σ²+ε)), as
/// inference runtimes do themselves; off: BatchNormalization nodes with the running statistics.</param>
/// <param name="Opset">The ONNX operator set of the default domain, <see cref="MinOpset"/>..<see cref="MaxOpset"/>
/// (every operator the U-Net uses, Conv, BatchNormalization, Relu, MaxPool, ConvTranspose and Concat, has the same
/// float32 semantics across them).</param>
public sealed record OnnxExportOptions(bool FoldBatchNorm = true, int Opset = 17)
{
    public const int MinOpset = 13;
    public const int MaxOpset = 22;

    /// <summary>Throws an ArgumentException when the opset is outside <see cref="MinOpset"/>..<see cref="MaxOpset"/>.</summary>
    public OnnxExportOptions Validate()
    {
        if (Opset is < MinOpset or > MaxOpset)
            throw new ArgumentException($"the ONNX opset must lie in {MinOpset}..{MaxOpset}, got {Opset}");
        return this;
    }

    /// <summary>
    /// The oldest ONNX IR version that defines <see cref="Opset"/> (onnx.helper's VERSION_TABLE), so that the file
    /// loads in the oldest runtime and checker that know the opset.
    /// </summary>
    public long IrVersion => Opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
