using System.Text.Json.Serialization;

namespace Skd.Models;

/// <summary>
/// What a deployed model needs besides its weights: the U-Net's shape, how inputs were prepared
/// in training (so that evaluation and prediction prepare them the same way: image channels, intensity
/// normalisation, interpolation), the class names and the method that trained it. Stored as JSON in the safetensors metadata under <c>"skd"</c>.
/// </summary>
public sealed record ModelInfo
{
    public required UNetConfig Network { get; init; }
    /// <summary>Side of the square training input; inference resizes to it (or tiles windows of it).</summary>
    public required int Size { get; init; }
    public IntensityNormalization Normalization { get; init; } = IntensityNormalization.Auto;
    public double CtWindowLow { get; init; } = -125;
    public double CtWindowHigh { get; init; } = 275;
    public InterpolationMode ImageInterpolation { get; init; } = InterpolationMode.Bilinear;
    /// <summary>
    /// How 2-D image files were read in training, grey or RGB; evaluation and prediction read every image so,
    /// converting one stored otherwise (<see cref="ImageInput"/>). Null for models of volumes or arrays, and
    /// in model files older than this field: images are then taken as they are stored.
    /// </summary>
    public ImageChannels? ImageChannels { get; init; }
    public IReadOnlyList<string> ClassNames { get; init; } = [];
    public string Method { get; init; } = "supervised";

    /// <summary>The preprocessing that prepared the training data.</summary>
    public CasePreprocessor Preprocessor() => new()
    {
        Size = Size, Normalization = Normalization, CtWindow = (CtWindowLow, CtWindowHigh), ImageInterpolation = ImageInterpolation,
    };

    /// <summary>The same fields, from the preprocessor a run trained with.</summary>
    public static ModelInfo From(UNetConfig network, CasePreprocessor preprocessor, ImageChannels? imageChannels, IReadOnlyList<string> classNames, string method) => new()
    {
        Network = network, Size = preprocessor.Size, Normalization = preprocessor.Normalization,
        CtWindowLow = preprocessor.CtWindow.Low, CtWindowHigh = preprocessor.CtWindow.High,
        ImageInterpolation = preprocessor.ImageInterpolation, ImageChannels = imageChannels, ClassNames = classNames, Method = method,
    };

    /// <summary>How ModelInfo is written in the metadata: snake_case names, enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>
/// A deployable model file: the student U-Net's state dict (PyTorch dotted names, loadable in
/// PyTorch with <c>safetensors.torch.load_file</c>) plus <see cref="ModelInfo"/> in the metadata.
/// Written atomically (temporary file, then rename).
/// </summary>
public static class ModelFile
{
    public const string MetadataKey = "skd";

    public static void Save(string path, UNet network, ModelInfo info) =>
        SafetensorsFile.Save(path, network.StateDict(), new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(info, ModelInfo.Json) });

    /// <summary>The model's description, without reading its weights.</summary>
    public static ModelInfo ReadInfo(string path)
    {
        var header = Safetensors.ReadHeader(path);
        return Parse(path, header.Metadata);
    }

    /// <summary>
    /// The U-Net with its trained weights, in evaluation mode, and its description. The
    /// description is checked against the weights' shapes in the header before the network is
    /// built, so a file cannot make the reader build a network larger than its own weights.
    /// </summary>
    public static (UNet Network, ModelInfo Info) Load(string path)
    {
        var header = Safetensors.ReadHeader(path);
        var info = Parse(path, header.Metadata);
        CheckArchitecture(path, info.Network, StudentWeights(header.Tensors.ToDictionary(t => t.Name, t => t.Shape)));
        using var contents = Safetensors.Load(path);
        var network = new UNet(info.Network);
        try
        {
            network.LoadStateDict(StudentWeights(contents.Tensors));
        }
        catch (TorchShapeException e)
        {
            network.Dispose();
            throw new InvalidDataException($"{path}: the weights do not match the U-Net its metadata describes ({e.Message})");
        }
        network.Eval();
        return (network, info);
    }

    /// <summary>
    /// The student's tensors of a file: a model file holds them under their own names; a training
    /// checkpoint (a run's last.safetensors) holds the whole method's state, the student's under <c>student.</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, T> StudentWeights<T>(IReadOnlyDictionary<string, T> tensors)
    {
        const string prefix = RunLayout.StudentPrefix;
        if (!tensors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal))) return tensors;
        return tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
    }

    /// <summary>A model path from a run folder (its best.safetensors, else last.safetensors) or a file path.</summary>
    public static string Resolve(string runOrFile)
    {
        if (Directory.Exists(runOrFile))
        {
            foreach (var name in RunLayout.ModelNames)
            {
                var candidate = Path.Combine(runOrFile, name);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"{runOrFile}: the run folder has no {RunLayout.BestName} (has the run finished an epoch?)");
        }
        if (!File.Exists(runOrFile)) throw new FileNotFoundException($"{runOrFile}: no such model file or run folder");
        return runOrFile;
    }

    /// <summary>
    /// Refuses a description that disagrees with the weights the header declares: the first
    /// convolution (input channels, width), the deepest stage (width·2^depth channels, so the depth)
    /// and the head (classes) must have the shapes the described U-Net gives them.
    /// </summary>
    private static void CheckArchitecture(string path, UNetConfig config, IReadOnlyDictionary<string, long[]> shapes)
    {
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the model description in its metadata is not valid ({e.Message})");
        }
        string described = $"{config.InChannels} input channel(s), {config.Classes} classes, width {config.Width}, depth {config.Depth}";
        foreach (var (key, shape) in config.ArchitectureWeights())
        {
            string found = shapes.TryGetValue(key, out var actual) ? $"[{string.Join(", ", actual)}]" : "no such tensor";
            if (actual is null || !actual.SequenceEqual(shape))
                throw new InvalidDataException($"{path}: the weights do not match the U-Net its metadata describes ({described}): " +
                                               $"'{key}' should be [{string.Join(", ", shape)}], the file has {found}");
        }
    }

    private static ModelInfo Parse(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException($"{path}: not a model file of this toolkit (its safetensors metadata has no \"{MetadataKey}\" entry)");
        return JsonFile.Deserialize<ModelInfo>(json, $"{path}: the model description in its metadata", ModelInfo.Json);
    }
}
