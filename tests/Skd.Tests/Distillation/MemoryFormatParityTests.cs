namespace Skd.Tests.Distillation;

/// <summary>
/// A training step of every method gives the same loss terms and gradients in channels-last as in contiguous
/// memory (within float tolerance: only the order of the kernels' sums differs), over an epoch without and one with
/// a snapshot teacher.
/// </summary>
[Collection(SerialCollection.Name)]
public class MemoryFormatParityTests
{
    private static readonly UNetConfig Student = new(InChannels: 3, Classes: 3, Width: 4, Depth: 2);

    public static TheoryData<string> AllMethods() => new(Methods.All.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void AStepInChannelsLastMatchesTheContiguousStep(string name)
    {
        using var teachers = new TeacherFiles();
        string? teacher = Methods.Find(name).NeedsTeacher ? teachers.Save(Student) : null;
        torch.ManualSeed(11);
        using var contiguous = Methods.Create(name, Student, teacherPath: teacher);
        torch.ManualSeed(11);
        using var channelsLast = Methods.Create(name, Student, teacherPath: teacher);
        channelsLast.To(MemoryFormat.ChannelsLast);

        using var scope = new DisposeScope();
        torch.ManualSeed(12);
        var images = torch.Rand(2, 3, 32, 32);
        var labels = torch.RandInt(0, 3, [2, 32, 32]);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var (expected, expectedGrads) = Step(contiguous, images, labels, epoch);
            var (actual, actualGrads) = Step(channelsLast, images, labels, epoch);
            Assert.Equal(expected.Select(t => t.Key), actual.Select(t => t.Key));
            foreach (var ((term, want), (_, got)) in expected.Zip(actual))
                Assert.True(Math.Abs(want - got) <= 1e-5 + 1e-4 * Math.Abs(want), $"{name}, epoch {epoch}: {term} = {got} in channels-last, {want} contiguous");
            Assert.Equal(expectedGrads.Keys.Order(), actualGrads.Keys.Order());
            foreach (var (parameter, want) in expectedGrads)
            {
                float[] got = actualGrads[parameter];
                double scale = want.Max(Math.Abs) + 1e-6, error = want.Zip(got, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(error <= 5e-4 * scale + 1e-6, $"{name}, epoch {epoch}: the gradient of {parameter} differs by {error} (largest {scale})");
            }
        }
    }

    /// <summary>The loss terms of one step and the gradient of every parameter it reached, as contiguous values.</summary>
    private static (IReadOnlyList<KeyValuePair<string, double>> Terms, Dictionary<string, float[]> Grads) Step(SegmentationMethod method, Tensor images, Tensor labels, int epoch)
    {
        using var scope = new DisposeScope();
        method.Train();
        method.BeginEpoch(epoch, 2);
        torch.ManualSeed(13);
        var loss = method.Loss(images, labels, new TrainingStep(epoch, 2, 0, 1));
        var terms = loss.Values();
        loss.Total.Backward();
        var grads = method.NamedParameters().Where(p => p.Parameter.Grad is not null)
            .ToDictionary(p => p.Name, p => p.Parameter.Grad!.Contiguous().ToArray<float>());
        method.ZeroGrad();
        return (terms, grads);
    }
}
