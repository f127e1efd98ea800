using System.Diagnostics;

namespace Skd.Training;

/// <summary>
/// The training loop of one run folder. Every epoch is a function of (seed, epoch) and the state
/// at its start, so a run resumed from any epoch's checkpoint ends with the weights of an
/// uninterrupted one (same device, same threads): at each epoch start libtorch's generator is
/// reseeded from (seed, epoch), the augmentation is seeded from (seed, epoch), the batch order is
/// the loader's (seed, epoch) plan, and the method's <see cref="SegmentationMethod.BeginEpoch"/>
/// runs. The checkpoint is written at each epoch end, atomically; a NaN or infinite loss term
/// stops the run before the update, and a NaN or infinite weight or buffer right after it, the
/// checkpoint untouched.
/// <para>
/// Diagnostics (<see cref="EpochRecord"/>): every step's term weights and reported scalars; every
/// <see cref="TrainConfig.GradNormEvery"/>-th step of the run (counted over epochs, so a resumed run
/// measures the same steps), the gradient norms of each term at the features the method watches,
/// taken before the backward pass on the retained graph (they change no weight); after validation,
/// the method's self-teacher's validation Dice. All come from the method's contract
/// (<see cref="MethodLoss"/>, <see cref="SegmentationMethod.SelfTeacherLogits"/>).
/// </para>
/// </summary>
internal sealed class Trainer : IDisposable
{
    private const int TorchStream = 1, AugmentationStream = 2;

    private readonly string runDir;
    private readonly TrainConfig config;
    private readonly ITrainingObserver observer;
    private readonly Device device;
    private readonly SegmentationDataset dataset;
    private readonly SliceDataset train;
    private readonly SliceDataset? validationData;
    private readonly DataLoader loader;
    private readonly Validation? validation;
    private readonly int validationCases;
    private readonly SegmentationMethod method;
    private readonly RunOptimizer optimizer;
    private List<KeyValuePair<string, Tensor>>? floatingState;
    private readonly ILearningRateSchedule? schedule;
    private readonly ModelInfo info;
    private TrainingState state;

    /// <summary>The run's config as config.json keeps it: absolute paths, every declared option of the method resolved.</summary>
    public TrainConfig Config => config;

    public Trainer(string runDir, TrainConfig config, MethodInfo methodInfo, ITrainingObserver observer)
    {
        this.runDir = runDir;
        this.observer = observer;
        this.config = config = config.Validate() with
        {
            Data = Path.GetFullPath(config.Data),
            Teacher = config.Teacher is null ? null : Path.GetFullPath(config.Teacher),
            Method = methodInfo.Name,
            MethodOptions = methodInfo.ParseOptions(config.MethodOptions).Resolved,
        };
        device = Torch.Device.Parse(config.Device);
        device.EnsureAvailable();
        dataset = SegmentationDataset.Open(config.Data, DatasetLayouts.ParseIfGiven(config.Layout), config.Channels);
        ProtectedInputs.OfDataset(dataset).CheckFolder(runDir);
        var preprocessor = DatasetProtocol.Of(dataset).Preprocessor(config.Size);
        train = new SliceDataset(dataset, dataset.Split("train", config.Fold), preprocessor);
        var validationSplit = dataset.Split("val", config.Fold);
        validationCases = validationSplit.Count;
        try
        {
            loader = new DataLoader(train, config.Batch, shuffle: true, seed: config.Seed, workers: config.Workers);
            if (validationCases > 0)
            {
                validationData = new SliceDataset(dataset, validationSplit, preprocessor);
                validation = new Validation(new DataLoader(validationData, config.Batch, shuffle: false, workers: config.Workers), dataset.Description.ClassNames);
            }
            var student = new UNetConfig(train.Channels, dataset.ClassCount, config.Width, config.Depth);
            torch.ManualSeed((ulong)config.Seed);
            method = methodInfo.Create(student, config.MethodOptions, config.Teacher);
            method.To(device);
            method.To(MemoryFormats.Parse(config.MemoryFormat));
            optimizer = new RunOptimizer(config, method);
            long totalSteps = (long)config.Epochs * loader.BatchesPerEpoch;
            schedule = config.Schedule switch
            {
                "poly" => new PolyLR(config.Lr, totalSteps, config.PolyPower),
                "cosine" => new CosineLR(config.Lr, totalSteps),
                "step" => new StepLR(config.Lr, (long)config.StepEpochs * loader.BatchesPerEpoch, config.StepGamma),
                _ => null,
            };
            info = ModelInfo.From(student, preprocessor, dataset.ImageChannels, dataset.Description.ClassNames, methodInfo.Name);
            state = new TrainingState { Seed = config.Seed };
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private string LastPath => new RunLayout(runDir).Last;

    /// <summary>Writes the checkpoint of the initial weights (epoch 0), so a run can be resumed from its very start.</summary>
    public void SaveInitial() => Checkpoint.Save(LastPath, method, optimizer, info, state);

    /// <summary>
    /// Restores the last checkpoint and rewrites log.jsonl and curves.png to match it; a run that
    /// stopped before its first checkpoint starts from its initial weights.
    /// </summary>
    public void RestoreLast()
    {
        if (!File.Exists(LastPath))
        {
            observer.Note($"no {RunLayout.LastName} yet (the run stopped before its first checkpoint): it starts from its first epoch");
            SaveInitial();
            return;
        }
        state = Checkpoint.Load(LastPath, method, optimizer);
        RunFolder.WriteLog(runDir, state.History);
        if (state.History.Count > 0) RunFolder.WriteCurves(runDir, state.History);
    }

    public TrainingResult Run(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        observer.RunStarted(new TrainingPlan(runDir, config, state.EpochsDone, loader.BatchesPerEpoch, train.Count,
            validationCases, method.Student.ParameterCount, method.TrainableParameters().Sum(p => p.NumElements), device));
        if (validation is null) observer.Note($"the dataset has no validation cases: {RunLayout.BestName} is the last epoch's student");
        if (state.EpochsDone >= config.Epochs) observer.Note($"the run has already done all {config.Epochs} epochs");
        for (int epoch = state.EpochsDone; epoch < config.Epochs; epoch++)
        {
            var record = TrainEpoch(epoch, cancel);
            bool validated = validation is not null && ((epoch + 1) % config.ValEvery == 0 || epoch + 1 == config.Epochs);
            if (validated)
            {
                var score = validation!.Evaluate(method.Student, device);
                record = record with
                {
                    ValDice = score.MeanDice,
                    ValDicePerClass = score.PerClass,
                    SelfTeacherValDice = method.SelfTeacherLogits is { } teacher ? validation.Evaluate(method, teacher, device).MeanDice : null,
                };
            }
            // Without a score yet (no validation split, an epoch between validations, nothing to score) the
            // latest student stands in, so best.safetensors exists from the first epoch on.
            bool isBest = validation is null || state.BestEpoch == 0 || (record.ValDice is { } dice && (state.BestScore is not { } best || dice > best));
            if (isBest) ModelFile.Save(new RunLayout(runDir).Best, method.Student, info);
            state = state with
            {
                EpochsDone = epoch + 1,
                BestScore = isBest ? record.ValDice : state.BestScore,
                BestEpoch = isBest ? epoch + 1 : state.BestEpoch,
                ElapsedSeconds = state.ElapsedSeconds + record.Seconds,
                History = [.. state.History, record],
            };
            Checkpoint.Save(LastPath, method, optimizer, info, state);
            RunFolder.WriteLog(runDir, state.History);
            RunFolder.WriteCurves(runDir, state.History);
            observer.EpochCompleted(record, isBest);
        }
        return new TrainingResult(runDir, state.BestScore, state.BestEpoch, state.EpochsDone, clock.Elapsed);
    }

    private EpochRecord TrainEpoch(int epoch, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        int steps = loader.BatchesPerEpoch, images = 0;
        torch.ManualSeed((ulong)Seeds.Derive(Seeds.Derive(config.Seed, epoch), TorchStream));
        var augmentation = new Augmentation(config.Augmentation, Seeds.Derive(Seeds.Derive(config.Seed, epoch), AugmentationStream));
        method.Train();
        method.BeginEpoch(epoch, config.Epochs);
        observer.EpochStarted(epoch, config.Epochs, steps);
        RunningMeans losses = new(), weights = new(), scalars = new();
        var gradNorms = new Dictionary<string, RunningMeans>();
        double totalSum = 0, lr = optimizer.LearningRate;
        int step = 0;
        foreach (var batch in loader.Epoch(epoch))
        {
            using (batch)
            using (var scope = new DisposeScope())
            {
                cancel.ThrowIfCancellationRequested();
                if (schedule is not null) lr = optimizer.ApplySchedule(schedule, (long)epoch * steps + step);
                var (x, y) = augmentation.Apply(batch.Images.To(device), batch.Labels.To(device));
                var loss = method.Loss(x, y, new TrainingStep(epoch, config.Epochs, step, steps));
                var terms = loss.Values();
                foreach (var (name, value) in terms)
                    if (!double.IsFinite(value)) throw TrainingDivergedException.Loss(epoch, step, name, value);
                weights.Add(loss.Weights);
                scalars.Add(loss.ScalarValues());
                if (config.GradNormEvery > 0 && ((long)epoch * steps + step) % config.GradNormEvery == 0)
                    foreach (var (feature, norms) in loss.GradientNorms())
                        (gradNorms.TryGetValue(feature, out var means) ? means : gradNorms[feature] = new()).Add(norms);
                optimizer.ZeroGrad();
                loss.Total.Backward();
                optimizer.Step();
                CheckStateFinite(epoch, step);
                losses.Add(terms);
                totalSum += terms.Sum(t => t.Value);
                images += (int)batch.Images.Size(0);
                observer.StepCompleted(new StepProgress(epoch, config.Epochs, step, steps, terms, lr, images / clock.Elapsed.TotalSeconds));
            }
            step++;
        }
        optimizer.ZeroGrad();
        return new EpochRecord
        {
            Epoch = epoch + 1,
            Loss = losses.Means(),
            Weights = weights.IsEmpty ? null : weights.Means(),
            Scalars = scalars.IsEmpty ? null : scalars.Means(),
            GradNorms = gradNorms.Count == 0 ? null : gradNorms.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, double>)kv.Value.Means()),
            Total = totalSum / Math.Max(1, step),
            Lr = lr,
            Seconds = clock.Elapsed.TotalSeconds,
            ImagesPerSecond = images / clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Stops the run when the update left a NaN or infinite value in the method's weights or buffers
    /// (at a huge learning rate a BatchNorm running variance overflows while the loss stays finite),
    /// before anything is saved from them. Cheap: one sum per tensor and a single read of whether
    /// all sums are finite; only when one is not are the tensors examined one by one, to name it
    /// (a finite tensor whose float32 sum overflows is let through there).
    /// </summary>
    private void CheckStateFinite(int epoch, int step)
    {
        using var scope = new DisposeScope();
        using var noGrad = torch.NoGrad();
        // The method's own tensors, updated in place by steps and by LoadStateDict: listed once.
        var state = floatingState ??= method.StateDict().Where(kv => kv.Value.DType.IsFloatingPoint()).ToList();
        if (torch.Stack(state.Select(kv => kv.Value.Sum()).ToList()).IsFinite().All().Item<bool>()) return;
        foreach (var (name, tensor) in state)
            if (!tensor.IsFinite().All().Item<bool>()) throw TrainingDivergedException.Weights(epoch, step, name);
    }

    public void Dispose()
    {
        optimizer?.Dispose();
        method?.Dispose();
        train.Dispose();
        validationData?.Dispose();
    }
}
