using System.Runtime.InteropServices;

namespace Skd.Reporting;

/// <summary>P/Invoke declarations of the drawing calls of native/skd_io.h (OpenCV imgproc).</summary>
internal static unsafe partial class DrawNative
{
    private const string Lib = "skd_io";

    [LibraryImport(Lib)]
    internal static partial int skd_draw_line(byte* rgb, int height, int width, int x0, int y0, int x1, int y1, byte r, byte g, byte b, int thickness);

    [LibraryImport(Lib)]
    internal static partial int skd_draw_rectangle(byte* rgb, int height, int width, int x0, int y0, int x1, int y1, byte r, byte g, byte b, int thickness);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_draw_text(byte* rgb, int height, int width, string text, int x, int y, double scale, byte r, byte g, byte b, int thickness);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int skd_text_size(string text, double scale, int thickness, out int width, out int height, out int baseline);

    /// <summary>Throws the error a failed call left (OpenCV's message).</summary>
    internal static void Check(int status, string what)
    {
        if (status == 0) return;
        IntPtr m = Data.Formats.IoNative.skd_io_last_error();
        string message = m == IntPtr.Zero ? "native call failed without a message" : Marshal.PtrToStringUTF8(m)!;
        Data.Formats.IoNative.skd_io_clear_error();
        throw new InvalidOperationException($"drawing {what} failed: {message}");
    }
}
