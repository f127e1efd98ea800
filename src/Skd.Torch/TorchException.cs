using System.Text.RegularExpressions;

namespace Skd.Torch;

/// <summary>An error raised by libtorch or by this library's checks of tensor arguments.</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }
    public TorchException(string message, Exception inner) : base(message, inner) { }

    private static readonly Regex ShapeMessage = new(
        @"size of tensor|must match the size|shape|[Ss]izes of tensors|Expected \d+D|dimensional|expected input\[.*to have|" +
        @"dimension out of range|invalid for input of size|cannot be multiplied|expected .* channels|not broadcastable|" +
        @"Expected .*size|must have the same number of dimensions|number of dims|Expected input batch_size|expand",
        RegexOptions.Compiled);

    private static readonly Regex DtypeMessage = new(
        @"scalar type|dtype|not implemented for '|can't be cast|should be the same|Expected object of scalar type|" +
        @"type \(\w+\) and|expected .* type|Float but found|Long but found|only .* types are supported|must be (a )?(floating|integer|Long|Bool)",
        RegexOptions.Compiled);

    /// <summary>Maps a native error (kind from skd_native.h, libtorch's message) to a typed exception.</summary>
    internal static TorchException FromNative(int kind, string message)
    {
        // Kinds: 2 index, 3 value, 4 type, 5 not implemented, 6 out of memory (skd_error_kind).
        if (kind == 6 || message.Contains("can't allocate memory", StringComparison.Ordinal)) return new TorchOutOfMemoryException(message);
        if (kind == 2 && !ShapeMessage.IsMatch(message)) return new TorchIndexException(message);
        if (DtypeMessage.IsMatch(message) || kind == 4) return new TorchDtypeException(message);
        if (ShapeMessage.IsMatch(message) || kind == 2) return new TorchShapeException(message);
        return new TorchException(message);
    }
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
