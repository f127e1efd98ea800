namespace Skd.Data;

/// <summary>
/// A dataset folder in one of the papers' layouts (auto-detected or named): its cases, classes and
/// splits, and the reading of a case into tensors with every label checked against the class range.
/// 2-D image files are read as grey or RGB channels (<see cref="ImageInput"/>): as asked at
/// <see cref="Open"/> (<c>--channels</c>), converting any image stored otherwise; else as the first
/// case's first image is stored, and then an image stored otherwise is an error, never converted silently.
/// </summary>
public sealed class SegmentationDataset
{
    public DatasetDescription Description { get; }

    private readonly bool channelsGiven;
    private readonly Lazy<ImageChannels?> imageChannels;

    private SegmentationDataset(DatasetDescription description, ImageChannels? channels)
    {
        Description = description;
        channelsGiven = channels is not null;
        bool images = description.Cases.Count > 0 && description.Cases[0].Storage == CaseStorage.Image2D;
        imageChannels = new(() => images ? channels ?? FirstImageStoredAs() : null, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Opens a dataset folder; <paramref name="channels"/>: how its 2-D images are read (null: as the first is stored).</summary>
    public static SegmentationDataset Open(string root, DatasetLayout? layout = null, ImageChannels? channels = null)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such folder");
        var kind = layout ?? DatasetLayouts.Detect(root);
        var description = kind switch
        {
            DatasetLayout.Paired => PairedFolderLayout.Describe(root),
            DatasetLayout.SuffixPairs => SuffixPairLayout.Describe(root),
            DatasetLayout.NnUnetRaw => NnUnetRawLayout.Describe(root),
            _ => SynapseLayout.Describe(root),
        };
        CaseNames.CheckCases(description);
        return new SegmentationDataset(description, channels);
    }

    public int ClassCount => Description.ClassCount;

    /// <summary>How the dataset's 2-D image files are read, grey or RGB; null for volumes and arrays. The first image is read when first asked without --channels.</summary>
    public ImageChannels? ImageChannels => imageChannels.Value;

    /// <summary>The network's input channels: the layout's channels, each as red, green and blue when images are read as RGB.</summary>
    public IReadOnlyList<string> InputChannels => ImageChannels != Data.ImageChannels.Rgb ? Description.ChannelNames
        : Description.ChannelNames.Count == 1 ? ["red", "green", "blue"]
        : Description.ChannelNames.SelectMany(n => new[] { $"{n} red", $"{n} green", $"{n} blue" }).ToList();

    private ImageChannels FirstImageStoredAs()
    {
        using var scope = new DisposeScope();
        return ImageInput.StoredAs(ImageFile.Read(Description.Cases[0].Images[0]));
    }

    /// <summary>
    /// The cases of a split: train, val, test or all. Sources, in order: <c>splits.json</c> in the
    /// dataset folder (nnU-Net's splits_final.json format, a list of {"train": [...], "val": [...]};
    /// <paramref name="fold"/> picks one; test = the layout's test cases), else the layout's own
    /// train/test split with val = the last 10% of train, else a deterministic split of the cases
    /// sorted by id (natural order): test = the last 25% (rounded up), val = the last 10% of the
    /// rest (rounded up, none below 10 cases), train = the others. DCA1's 134 images give the
    /// common 1–100 / 101–134 split.
    /// </summary>
    public IReadOnlyList<CaseFiles> Split(string split, int fold = 0)
    {
        var byId = Description.Cases.ToDictionary(c => c.Id);
        var (train, val, test) = SplitIds(fold);
        IEnumerable<string> ids = split.ToLowerInvariant() switch
        {
            "train" => train,
            "val" or "validation" => val,
            "test" => test,
            "all" => Description.Cases.Select(c => c.Id),
            _ => throw new ArgumentException($"unknown split '{split}': expected train, val, test or all"),
        };
        return ids.Select(id => byId.TryGetValue(id, out var c) ? c
            : throw new DataFormatException($"{Description.Root}: split '{split}' names case '{id}', which the dataset does not have")).ToList();
    }

    private (IReadOnlyList<string> Train, IReadOnlyList<string> Val, IReadOnlyList<string> Test) SplitIds(int fold)
    {
        var layoutSplits = Description.LayoutSplits;
        IReadOnlyList<string> layoutTest = layoutSplits.TryGetValue("test", out var t) ? t : [];
        string splitsPath = Path.Combine(Description.Root, "splits.json");
        if (File.Exists(splitsPath))
        {
            var (train, val) = ReadSplitsFile(splitsPath, fold);
            return (train, val, layoutTest);
        }
        if (layoutSplits.TryGetValue("train", out var layoutTrain))
        {
            int nVal = layoutTrain.Count >= 10 ? (int)Math.Ceiling(layoutTrain.Count * 0.1) : 0;
            return (layoutTrain.Take(layoutTrain.Count - nVal).ToList(), layoutTrain.Skip(layoutTrain.Count - nVal).ToList(), layoutTest);
        }
        var ids = Description.Cases.Select(c => c.Id).OrderBy(i => i, NaturalOrder.Instance).ToList();
        int nTest = ids.Count >= 2 ? (int)Math.Ceiling(ids.Count * 0.25) : 0;
        var rest = ids.Take(ids.Count - nTest).ToList();
        int nValidation = rest.Count >= 10 ? (int)Math.Ceiling(rest.Count * 0.1) : 0;
        return (rest.Take(rest.Count - nValidation).ToList(), rest.Skip(rest.Count - nValidation).ToList(), ids.Skip(ids.Count - nTest).ToList());
    }

    private static (List<string> Train, List<string> Val) ReadSplitsFile(string path, int fold) => JsonFile.Read(path, root =>
    {
        var folds = root.Items().ToList();
        if (fold < 0 || fold >= folds.Count) throw new DataFormatException($"{path}: fold {fold} requested, the file has {folds.Count}");
        List<string> Names(string key) => folds[fold].Required(key, "a list of case ids").Items().Select(v => v.String()).ToList();
        return (Names("train"), Names("val"));
    });

    /// <summary>Reads a case: image as float32 (C, D, H, W), label as int64 (D, H, W), checked.</summary>
    public LoadedCase Load(CaseFiles files)
    {
        using var scope = new DisposeScope();
        LoadedCase loaded = files.Storage switch
        {
            CaseStorage.Image2D => Load2D(files),
            CaseStorage.Volume => LoadVolume(files),
            CaseStorage.Npz => LoadNpz(files),
            _ => LoadHdf5(files),
        };
        try
        {
            Check(loaded);
        }
        catch
        {
            loaded.Geometry?.Dispose();
            throw;
        }
        if (loaded.Label is { } label) DisposeScope.Detach(label);
        DisposeScope.Detach(loaded.Image);
        return loaded;
    }

    private void Check(LoadedCase loaded)
    {
        var files = loaded.Files;
        if (loaded.Label is { } label)
        {
            string labelFile = files.Label!;
            if (!label.Shape.SequenceEqual(loaded.Image.Shape.Skip(1)))
                throw new DataFormatException($"{labelFile}: label size [{string.Join(", ", label.Shape)}] differs from the image's [{string.Join(", ", loaded.Image.Shape.Skip(1))}] ({files.Images[0]})");
            if (label.NumElements > 0)
            {
                long min = label.Min().Item<long>(), max = label.Max().Item<long>();
                if (min < 0 || max >= ClassCount)
                    throw new DataFormatException($"{labelFile}: label value {(min < 0 ? min : max)} outside the class range 0..{ClassCount - 1} ({ClassCount} classes: {string.Join(", ", Description.ClassNames)})");
            }
        }
    }

    private LoadedCase Load2D(CaseFiles files)
    {
        var mode = ImageChannels!.Value;
        var pixels = files.Images.Select(ImageFile.Read).ToList();
        var first = pixels[0];
        foreach (var (p, path) in pixels.Zip(files.Images))
        {
            if (p.Size(1) != first.Size(1) || p.Size(2) != first.Size(2))
                throw new DataFormatException($"{path}: channel size {p.Size(1)}×{p.Size(2)} differs from {files.Images[0]} ({first.Size(1)}×{first.Size(2)})");
            if (ImageFile.FullScale(p) != ImageFile.FullScale(first))
                throw new DataFormatException($"{path}: pixel format {p.DType.Name()} differs from {files.Images[0]}'s {first.DType.Name()}; store a case's channels alike");
            if (!channelsGiven && ImageInput.StoredAs(p) != mode)
                throw OptionNames.Naming(m => new DataFormatException(m), o => $"{path}: {(ImageInput.StoredAs(p) == Data.ImageChannels.Rgb ? "an RGB" : "a grey")} image, but the dataset's images are read as {mode.Name()}, as its first, " +
                                              $"{Description.Cases[0].Images[0]}, is stored; give {o("channels")} grey or {o("channels")} rgb to read every image so");
        }
        var image = torch.Cat(pixels.Select(p => ImageInput.ToChannels(p, mode)).ToList(), 0).Unsqueeze(1);   // (C, 1, H, W)
        Tensor? label = files.Label is null ? null : Description.Masks.ToLabels(ImageFile.Read(files.Label), files.Label).Unsqueeze(0);
        return new LoadedCase { Files = files, Image = image, Label = label, FullScale = ImageFile.FullScale(first) };
    }

    private static LoadedCase LoadVolume(CaseFiles files)
    {
        var volumes = files.Images.Select(NiftiFile.Read).ToList();
        try
        {
            var shape = volumes[0].Data.Shape;
            foreach (var (v, path) in volumes.Zip(files.Images))
                if (!v.Data.Shape.SequenceEqual(shape) || v.Data.Dim != 3)
                    throw new DataFormatException($"{path}: volume shape [{string.Join(", ", v.Data.Shape)}] (a 3-D volume the shape of {files.Images[0]} [{string.Join(", ", shape)}] was expected)");
            var image = torch.Stack(volumes.Select(v => v.Data.Float()).ToList(), 0);
            Tensor? label = null;
            if (files.Label is not null)
            {
                using var l = NiftiFile.Read(files.Label);
                if (l.Data.DType.IsFloatingPoint() && !l.Data.Eq(l.Data.Round()).All().Item<bool>())
                    throw new DataFormatException($"{files.Label}: label volume holds non-integer values");
                label = l.Data.To(DType.Int64);
            }
            var geometry = volumes[0];
            volumes.RemoveAt(0);
            DisposeScope.Detach(geometry.Data);
            return new LoadedCase { Files = files, Image = image, Label = label, Spacing = geometry.Spacing, Geometry = geometry };
        }
        finally
        {
            foreach (var v in volumes) v.Dispose();
        }
    }

    private static LoadedCase LoadNpz(CaseFiles files)
    {
        var arrays = NpyFile.ReadArchive(files.Images[0]);
        if (!arrays.TryGetValue("image", out var image) || !arrays.TryGetValue("label", out var label))
            throw new DataFormatException($"{files.Images[0]}: a Synapse slice needs arrays 'image' and 'label', it has {string.Join(", ", arrays.Keys)}");
        if (image.Dim != 2) throw new DataFormatException($"{files.Images[0]}: 'image' should be 2-D (H, W), it is [{string.Join(", ", image.Shape)}]");
        return new LoadedCase { Files = files, Image = image.Float().View(1, 1, image.Size(0), image.Size(1)), Label = IntegerLabel(label, files.Images[0]).Unsqueeze(0) };
    }

    private static LoadedCase LoadHdf5(CaseFiles files)
    {
        var image = Hdf5File.Read(files.Images[0], "image");
        if (image.Dim != 3) throw new DataFormatException($"{files.Images[0]}: 'image' should be 3-D (D, H, W), it is [{string.Join(", ", image.Shape)}]");
        var label = Hdf5File.Read(files.Images[0], "label");
        return new LoadedCase { Files = files, Image = image.Float().Unsqueeze(0), Label = IntegerLabel(label, files.Images[0]) };
    }

    private static Tensor IntegerLabel(Tensor label, string path)
    {
        if (label.DType.IsFloatingPoint() && !label.Eq(label.Round()).All().Item<bool>())
            throw new DataFormatException($"{path}: 'label' holds non-integer values");
        return label.To(DType.Int64);
    }
}
