using System.Numerics;
using System.Runtime.InteropServices;

namespace Skd.Metrics;

/// <summary>
/// The surface of a binary mask as medpy computes it for its surface distances:
/// <code>surface = mask XOR binary_erosion(mask, structure=generate_binary_structure(ndim, 1))</code>
/// i.e. the mask voxels with a face neighbour (4-connectivity in 2-D, 6 in 3-D) outside the mask;
/// voxels outside the array count as background (scipy's border_value=0), so a mask touching
/// the border has its surface there.
/// </summary>
public static class MaskSurface
{
    public static bool[] Extract(ReadOnlySpan<bool> mask, int[] shape)
    {
        AxisLines.CheckShape(mask.Length, shape);
        var m = MemoryMarshal.Cast<bool, byte>(mask);
        var eroded = mask.ToArray();
        var e = MemoryMarshal.Cast<bool, byte>(eroded.AsSpan());
        for (int axis = 0; axis < shape.Length; axis++)
        {
            // Each block of n·S elements (n along the axis, neighbours S apart) keeps, at
            // coordinates 1..n−2, the voxels whose neighbours at −S and +S are in the mask.
            var lines = new AxisLines(shape, axis);
            int n = lines.Length, stride = lines.Stride, block = n * stride;
            for (int start = 0; start < e.Length; start += block)
            {
                if (n < 3)
                {
                    e.Slice(start, block).Clear();
                    continue;
                }
                e.Slice(start, stride).Clear();
                e.Slice(start + block - stride, stride).Clear();
                And(e.Slice(start + stride, block - 2 * stride), m.Slice(start, block - 2 * stride), m.Slice(start + 2 * stride, block - 2 * stride));
            }
        }
        for (int i = 0; i < eroded.Length; i++) eroded[i] ^= mask[i];
        return eroded;
    }

    /// <summary>target &amp;= a &amp; b, bytewise.</summary>
    private static void And(Span<byte> target, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int i = 0;
        for (; i <= target.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            (new Vector<byte>(target[i..]) & new Vector<byte>(a[i..]) & new Vector<byte>(b[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] &= (byte)(a[i] & b[i]);
    }
}
