using System.Runtime.InteropServices;

namespace Skd.Data.Formats;

/// <summary>
/// P/Invoke declarations of skd_io.h beside this file (OpenCV imgcodecs, libhdf5): the one class that
/// calls libskd_io, so the library's thread-local error slot has one reader.
/// </summary>
internal static unsafe partial class IoNative
{
    private const string Lib = "skd_io";

    [LibraryImport(Lib)] internal static partial IntPtr skd_io_last_error();
    [LibraryImport(Lib)] internal static partial void skd_io_clear_error();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr skd_image_read(string path);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int skd_image_dims(string path, out long width, out long height);
    [LibraryImport(Lib)] internal static partial int skd_image_info(IntPtr image, out int height, out int width, out int channels, out int depthBytes);
    [LibraryImport(Lib)] internal static partial IntPtr skd_image_data(IntPtr image);
    [LibraryImport(Lib)] internal static partial void skd_image_free(IntPtr image);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_image_encode(string extension, void* data, int height, int width, int channels, int depthBytes, out byte* bytes, out long size);
    [LibraryImport(Lib)] internal static partial void skd_io_free(void* bytes);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_h5_dataset_info(string path, string dataset, long* dims, int capacity, out int ndim, out int typeClass, out int typeSize, out int isSigned);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_h5_read(string path, string dataset, int asType, void* dst, long nbytes);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_h5_list(string path, byte* buffer, int capacity);

    /// <summary>The error the last call on this thread left, as an exception naming the file.</summary>
    internal static DataFormatException LastError(string path)
    {
        IntPtr m = skd_io_last_error();
        string message = m == IntPtr.Zero ? $"{path}: native call failed without a message" : Marshal.PtrToStringUTF8(m)!;
        skd_io_clear_error();
        return new DataFormatException(message.StartsWith(path, StringComparison.Ordinal) ? message : $"{path}: {message}");
    }
}
