namespace Skd.Distillation;

/// <summary>
/// The trained, frozen teacher of offline KD (methods.md §3), loaded from
/// <see cref="MethodContext.TeacherPath"/> (a run folder or a .safetensors model file). It is held by
/// its method as a field, not registered as a submodule: it is absent from the method's state dict
/// (a resumed run reloads it from its file), never reaches the optimiser (its parameters do not
/// require gradient), stays in evaluation mode (the method's Train() does not reach it) and runs
/// under no-grad.
/// <para>
/// Device and dtype: the teacher follows the batch it is given. Its first forward on a batch of
/// another device or floating dtype moves it there (in place, once), so moving the method with
/// <c>To(device)</c> is all a trainer does; the teacher joins the student at the first batch, and takes the
/// memory format the method asks for.
/// </para>
/// </summary>
public sealed class Teacher : IDisposable
{
    private Teacher(string path, UNet network)
    {
        Path = path;
        Network = network;
        foreach (var p in network.Parameters()) p.RequiresGrad = false;
    }

    /// <summary>The model file the weights came from.</summary>
    public string Path { get; }

    /// <summary>The teacher U-Net, in evaluation mode, with frozen parameters.</summary>
    public UNet Network { get; }

    /// <summary>
    /// Loads the teacher of <paramref name="context"/> and checks it against the student before any
    /// training: same classes (the data's), same input channels and, when <paramref name="sameDepth"/>
    /// (a method that matches decoder stages), the same depth. A missing file or a file that is not a
    /// model file fails with <see cref="ModelFile"/>'s own error, which names the file.
    /// </summary>
    /// <exception cref="MethodRequirementException">No teacher path, or a teacher that does not fit the student.</exception>
    public static Teacher Load(MethodContext context, bool sameDepth = false)
    {
        var method = context.Method.Name;
        if (string.IsNullOrEmpty(context.TeacherPath))
            throw new MethodRequirementException($"method '{method}' distils from a trained teacher, and none was given");
        var path = ModelFile.Resolve(context.TeacherPath);
        var (network, _) = ModelFile.Load(path);
        try
        {
            Check(method, path, network.Config, context.Student, sameDepth);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return new Teacher(path, network);
    }

    private static void Check(string method, string path, UNetConfig teacher, UNetConfig student, bool sameDepth)
    {
        if (teacher.Classes != student.Classes)
            throw new MethodRequirementException(
                $"method '{method}': the teacher {path} predicts {teacher.Classes} classes, the data (and the student) have {student.Classes}; train the teacher on the same dataset");
        if (teacher.InChannels != student.InChannels)
            throw new MethodRequirementException(
                $"method '{method}': the teacher {path} reads {teacher.InChannels} input channels, the data have {student.InChannels}");
        if (sameDepth && teacher.Depth != student.Depth)
            throw new MethodRequirementException(
                $"method '{method}' matches decoder stages one to one: the teacher {path} has depth {teacher.Depth}, the student {student.Depth}; use a teacher of depth {student.Depth}");
    }

    /// <summary>The teacher's logits and features for <paramref name="images"/>, without autograd history, computed in <paramref name="memoryFormat"/> (the student's).</summary>
    public UNetOutput Forward(Tensor images, MemoryFormat memoryFormat)
    {
        Follow(images);
        if (Network.MemoryFormat != memoryFormat) Network.To(memoryFormat);
        using var noGrad = torch.NoGrad();
        return Network.Forward(images);
    }

    private void Follow(Tensor images)
    {
        var parameter = Network.Parameters().First();
        if (parameter.Device != images.Device) Network.To(images.Device);
        if (parameter.DType != images.DType && images.DType.IsFloatingPoint()) Network.To(images.DType);
    }

    /// <summary>Parameters and MACs of the teacher's forward pass for one size×size image: a cost of training, not of the deployed student.</summary>
    public ModelProfile Profile(long size) => Network.Profile(size);

    public void Dispose() => Network.Dispose();
}
