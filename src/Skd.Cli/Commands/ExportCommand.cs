using System.CommandLine;
using Skd.Data;
using Skd.Export;
using Skd.Models;
using Spectre.Console;

namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd export --checkpoint FILE|--run RUN --onnx model.onnx [--no-fold-bn] [--opset 17]</c>: the trained
/// student as an ONNX file (<see cref="UNetOnnxExporter"/>) with its preprocessing in the metadata, for
/// ONNX Runtime and the other runtimes that take ONNX; any method's checkpoint exports the plain U-Net.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (NAME.onnx).", Required = true };
        var foldBn = new Option<bool>("--fold-bn") { Description = "Fold each batch norm into the convolution before it (the default)." };
        var noFoldBn = new Option<bool>("--no-fold-bn") { Description = "Keep BatchNormalization nodes with the running statistics." };
        var opset = new Option<int>("--opset")
        {
            Description = $"ONNX operator set, {OnnxExportOptions.MinOpset}..{OnnxExportOptions.MaxOpset}.",
            DefaultValueFactory = _ => new OnnxExportOptions().Opset,
        };
        var command = new Command("export", "Export a trained model to ONNX (plain U-Net, dynamic batch and size, preprocessing in the metadata).");
        foreach (var o in new Option[] { InferenceOptionsCli.Checkpoint, InferenceOptionsCli.Run, onnx, foldBn, noFoldBn, opset }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            string model = ModelFile.Resolve(InferenceOptionsCli.ModelPath(parse));
            string target = parse.GetValue(onnx)!;
            if (!OnnxModelFile.IsOnnx(target)) throw new ArgumentException($"--onnx {target}: the file name must end in {OnnxModelFile.Extension}");
            ProtectedInputs.OfFiles([]).AndFile(model).ClaimOutput(target, "--onnx");
            if (parse.GetValue(foldBn) && parse.GetValue(noFoldBn)) throw new ArgumentException("give --fold-bn or --no-fold-bn, not both");
            var options = new OnnxExportOptions(FoldBatchNorm: !parse.GetValue(noFoldBn), Opset: parse.GetValue(opset)).Validate();
            var (exported, info) = OnnxModelFile.Export(model, options);
            OnnxModelFile.Save(target, exported);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(target))} ({new FileInfo(target).Length:N0} bytes): U-Net width {info.Network.Width}, " +
                                   $"depth {info.Network.Depth}, opset {options.Opset}, batch norm {(options.FoldBatchNorm ? "folded" : "kept")}");
            return 0;
        });
        return command;
    }
}
