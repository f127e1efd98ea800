namespace Skd.Cli.Commands;

/// <summary>
/// <c>skd predict --checkpoint FILE --input FILE|DIR --out DIR [--overlay] [--save-probabilities] [--mode resize|sliding-window]
/// [--engine torch|onnx] [--tta] [--keep-largest [CLASSES]]</c>: label maps for images of any size (PNG, the input's size;
/// a binary model's as 0/255) and volumes (NIfTI with the input's geometry), optionally with colour overlays of the
/// prediction on the image and the class probabilities (<see cref="PredictionFiles.WriteProbabilities"/>). Images are
/// read as grey or RGB as the model's training images were (<see cref="InputFile"/>).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "An image, a NIfTI volume, a Synapse .npz/.npy.h5 file, or a folder of them.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the label maps (created if missing).", Required = true };
        var overlay = new Option<bool>("--overlay") { Description = "Also write colour overlays of the prediction on the image (NAME_overlay.png; a folder of slices for volumes)." };
        var probabilities = InferenceOptionsCli.SaveProbabilities;
        var command = new Command("predict", "Predict label maps for images or volumes with a trained model.");
        Option[] options = [input, output, overlay, probabilities, .. InferenceOptionsCli.All(withRun: true)];
        foreach (var o in options) command.Options.Add(o);
        command.SetRunner(parse =>
        {
            var files = InputFile.List(parse.GetValue(input)!);
            string outDir = parse.GetValue(output)!;
            bool withProbabilities = parse.GetValue(probabilities);
            PredictionFiles.CheckTargets(ProtectedInputs.OfFiles(files), outDir, files.Select(InputFile.Case), parse.GetValue(overlay), withProbabilities);
            using var predictor = Predictor.Load(InferenceOptionsCli.ModelPath(parse), InferenceOptionsCli.Options(parse), InferenceOptionsCli.EngineKind(parse));
            CaseProgress.ForEach("predicting", files, file =>
            {
                using var scope = new DisposeScope();
                using var loaded = InputFile.Load(file, predictor.Info.ImageChannels);
                using var prediction = predictor.Predict(loaded, withProbabilities);
                PredictionFiles.Write(outDir, loaded, prediction, predictor.Classes, parse.GetValue(overlay));
            });
            AnsiConsole.MarkupLine($"wrote {files.Count} label map(s){(parse.GetValue(overlay) ? " and overlays" : "")}{(withProbabilities ? " and probability maps" : "")} to {Markup.Escape(Path.GetFullPath(outDir))}");
            return 0;
        });
        return command;
    }
}
