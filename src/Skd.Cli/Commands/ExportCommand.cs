namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd export --checkpoint FILE|--run RUN --onnx model.onnx [--no-fold-bn] [--opset 17] [--int8 --calibrate DATA
/// [--calibration-images N]]</c>: the trained student as an ONNX file (<see cref="UNetOnnxExporter"/>) with its
/// preprocessing in the metadata, for ONNX Runtime and the other runtimes that take ONNX; any method's checkpoint
/// exports the plain U-Net. With <c>--int8</c>, quantised statically on DATA's training images and written only
/// after its comparison with float32 on DATA's test split is printed (<see cref="Int8Export"/>).
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
        var int8 = new Option<bool>("--int8")
        {
            Description = "Quantise to int8 (QDQ: weights int8 per output channel, activations uint8, ranges measured on --calibrate's training images); " +
                          "the export prints its Dice against the float32 model on that dataset's test split.",
        };
        var calibrate = new Option<string?>("--calibrate") { Description = "With --int8: the dataset the model was trained on (any layout skd dataset reads)." };
        var calibrationImages = new Option<int>("--calibration-images")
        {
            Description = "With --int8: how many training images (slices) to measure activation ranges on.",
            DefaultValueFactory = _ => Int8Export.DefaultCalibrationImages,
        };
        var command = new Command("export", "Export a trained model to ONNX (plain U-Net, dynamic batch and size, preprocessing in the metadata), optionally quantised to int8.");
        foreach (var o in new Option[] { InferenceOptionsCli.Checkpoint, InferenceOptionsCli.Run, onnx, foldBn, noFoldBn, opset, int8, calibrate, calibrationImages }) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            string model = ModelFile.Resolve(InferenceOptionsCli.ModelPath(parse));
            string target = parse.GetValue(onnx)!;
            if (!OnnxModelFile.IsOnnx(target)) throw new ArgumentException($"--onnx {target}: the file name must end in {OnnxModelFile.Extension}");
            if (parse.GetValue(foldBn) && parse.GetValue(noFoldBn)) throw new ArgumentException("give --fold-bn or --no-fold-bn, not both");
            var options = new OnnxExportOptions(FoldBatchNorm: !parse.GetValue(noFoldBn), Opset: parse.GetValue(opset)).Validate();
            string? calibration = Calibration(parse.GetValue(int8), parse.GetValue(calibrate), options, parse.GetValue(calibrationImages));
            // The dataset's images are read as the model's training images were (grey or RGB); the file may not land among them.
            var dataset = calibration is null ? null : SegmentationDataset.Open(calibration, channels: ModelFile.ReadInfo(model).ImageChannels);
            (dataset is null ? ProtectedInputs.OfFiles([]) : ProtectedInputs.OfDataset(dataset)).AndFile(model).ClaimOutput(target, "--onnx");
            var (exported, info) = OnnxModelFile.Export(model, options);
            if (dataset is not null)
            {
                (exported, var comparison) = Int8Export.Quantize(exported, info, dataset, parse.GetValue(calibrationImages));
                AnsiConsole.MarkupLine($"int8 against float32 on {Markup.Escape(dataset.Description.Root)}: {Markup.Escape(comparison.ToString())}");
            }
            OnnxModelFile.Save(target, exported);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Path.GetFullPath(target))} ({new FileInfo(target).Length:N0} bytes): U-Net width {info.Network.Width}, " +
                                   $"depth {info.Network.Depth}, opset {options.Opset}, batch norm {(options.FoldBatchNorm ? "folded" : "kept")}" +
                                   $"{(calibration is null ? ", float32" : ", int8 (QDQ)")}");
            return 0;
        });
        return command;
    }

    /// <summary>The calibration dataset of --int8 --calibrate DATA, checked before anything is read; null for a float32 export.</summary>
    private static string? Calibration(bool int8, string? data, OnnxExportOptions options, int images)
    {
        if (!int8)
            return data is null ? null : throw new ArgumentException("--calibrate is for --int8: give both to export an int8 model");
        if (data is null) throw new ArgumentException("--int8 needs --calibrate DATA: the training images to measure activation ranges on (its test split is scored against float32)");
        if (!options.FoldBatchNorm) throw new ArgumentException("--int8 folds the batch norms into the convolutions; leave out --no-fold-bn");
        if (images < 1) throw new ArgumentException($"--calibration-images must be at least 1, got {images}");
        return data;
    }
}
