namespace Skd.Distillation;

/// <summary>
/// What a method is built from: the method's descriptor, the student's shape, the method's
/// options and, for offline KD, the teacher's model file (a run folder or a .safetensors file).
/// </summary>
public sealed record MethodContext(MethodInfo Method, UNetConfig Student, MethodOptions Options, string? TeacherPath = null)
{
    /// <summary>Number of classes of the data (the student's output channels).</summary>
    public int Classes => Student.Classes;
}

/// <summary>Thrown before training starts when a method cannot run as asked (no teacher, a teacher of other classes, a model without what the method needs).</summary>
public sealed class MethodRequirementException(string message) : ArgumentException(message);
