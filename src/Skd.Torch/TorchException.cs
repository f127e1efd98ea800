namespace Skd.Torch;

/// <summary>An error raised by libtorch or by this library's checks of tensor arguments.</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }
    public TorchException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The exception for an error the shim classified as <paramref name="kind"/> (it sorts libtorch's exceptions by type, errors.cpp).</summary>
    internal static TorchException FromNative(NativeErrorKind kind, string message) => kind switch
    {
        NativeErrorKind.OutOfMemory => new TorchOutOfMemoryException(message),
        NativeErrorKind.Index => new TorchIndexException(message),
        NativeErrorKind.Dtype => new TorchDtypeException(message),
        NativeErrorKind.Shape => new TorchShapeException(message),
        _ => new TorchException(message),
    };
}

/// <summary>Tensor shapes that do not fit the operation (broadcasting, channels, views, matrix sizes).</summary>
public sealed class TorchShapeException(string message) : TorchException(message);

/// <summary>A tensor of a dtype the operation does not accept (e.g. float targets for cross-entropy).</summary>
public sealed class TorchDtypeException(string message) : TorchException(message);

/// <summary>An index out of range.</summary>
public sealed class TorchIndexException(string message) : TorchException(message);

/// <summary>The allocator could not provide the memory an operation needs.</summary>
public sealed class TorchOutOfMemoryException(string message) : TorchException(message);

/// <summary>A device was requested that this machine or this libtorch build does not have.</summary>
public sealed class DeviceUnavailableException(string message) : TorchException(message);

/// <summary>A safetensors file that is truncated, malformed or inconsistent; the message names the file.</summary>
public sealed class SafetensorsFormatException(string message) : TorchException(message);
