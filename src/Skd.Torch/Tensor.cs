using System.Runtime.InteropServices;
using System.Text;

namespace Skd.Torch;

/// <summary>
/// A libtorch tensor. It owns one native handle, freed by <see cref="Dispose"/>: by its owner, or
/// by the <see cref="DisposeScope"/> that was open on this thread when it was created. There is
/// no finalizer: the garbage collector never frees native memory (a finalizer would also cost
/// ~80 ns on every op); <see cref="torch.LiveTensorCount"/> finds leaks.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private IntPtr handle;
    private long[]? shape;

    internal DisposeScope? Scope;

    internal Tensor(IntPtr nativeHandle)
    {
        handle = nativeHandle;
        DisposeScope.Current?.Attach(this);
    }

    /// <summary>Wraps a handle returned by a native call, throwing its error when it is null.</summary>
    internal static Tensor Wrap(IntPtr nativeHandle) => new(Native.Check(nativeHandle));

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed (by its owner or its dispose scope)");

    public bool IsDisposed => handle == IntPtr.Zero;

    public void Dispose()
    {
        IntPtr h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) Native.skd_free(h);
    }

    /// <summary>Points this object at another native tensor (freeing its own): how modules move parameters in place.</summary>
    internal void ReplaceHandle(IntPtr nativeHandle)
    {
        IntPtr old = Interlocked.Exchange(ref handle, Native.Check(nativeHandle));
        if (old != IntPtr.Zero) Native.skd_free(old);
        shape = null;
    }

    // ---- metadata ----------------------------------------------------------------------

    /// <summary>The sizes of the dimensions (a copy: changing it changes nothing).</summary>
    public long[] Shape => (long[])CachedShape.Clone();

    private unsafe long[] CachedShape
    {
        get
        {
            if (shape != null) return shape;
            int n = Native.skd_dim(Handle);
            var s = new long[n];
            fixed (long* p = s) Native.skd_shape(Handle, p);
            return shape = s;
        }
    }

    public unsafe long[] Strides
    {
        get
        {
            var s = new long[Dim];
            fixed (long* p = s) Native.skd_strides(Handle, p);
            return s;
        }
    }

    public int Dim => Native.skd_dim(Handle);

    /// <summary>Size along <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var s = CachedShape;
        return s[dim < 0 ? dim + s.Length : dim];
    }

    public long NumElements => Native.skd_numel(Handle);

    public DType DType => (DType)Native.skd_dtype(Handle);

    public Device Device => new((DeviceType)Native.skd_device_type(Handle), Native.skd_device_index(Handle));

    public bool IsContiguous => Native.skd_is_contiguous(Handle) != 0;

    /// <summary>Whether the elements lie densely in <paramref name="format"/>'s order (a 4-D tensor for <see cref="MemoryFormat.ChannelsLast"/>).</summary>
    public bool IsContiguousIn(MemoryFormat format)
    {
        int result = Native.skd_is_contiguous_format(Handle, (int)format);
        if (result < 0) throw Native.LastError();
        return result != 0;
    }

    public override string ToString()
    {
        if (IsDisposed) return "tensor(disposed)";
        var sb = new StringBuilder("tensor(shape=[");
        sb.Append(string.Join(", ", CachedShape)).Append("], dtype=").Append(DType.Name()).Append(", device=").Append(Device);
        if (RequiresGrad) sb.Append(", requires_grad=true");
        return sb.Append(')').ToString();
    }

    // ---- data in and out ---------------------------------------------------------------

    /// <summary>A CPU tensor holding a copy of <paramref name="data"/>, viewed as <paramref name="shape"/>.</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        long numel = 1;
        foreach (long s in shape)
        {
            if (s < 0) throw new TorchShapeException($"negative size in shape [{string.Join(", ", shape)}]");
            numel *= s;
        }
        if (numel != data.Length)
            throw new TorchShapeException($"{data.Length} values do not fill shape [{string.Join(", ", shape)}] ({numel} elements)");
        fixed (T* d = data)
        fixed (long* s = shape)
            return Wrap(Native.skd_from_data(d, s, shape.Length, (int)DTypeExtensions.Of<T>()));
    }

    /// <summary>A 1-D CPU tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From<T>(T[] data) where T : unmanaged => From<T>(data, data.LongLength);

    public static Tensor From<T>(T[] data, params long[] shape) where T : unmanaged => From((ReadOnlySpan<T>)data, shape);

    /// <summary>A 0-dimensional CPU tensor.</summary>
    public static Tensor Scalar<T>(T value) where T : unmanaged => From<T>(new[] { value }, Array.Empty<long>());

    /// <summary>Copies the elements (row-major, any device) into <paramref name="destination"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>();
        fixed (T* d = destination)
            Native.Check(Native.skd_copy_to_buffer(Handle, d, (long)destination.Length * sizeof(T)));
    }

    /// <summary>The elements, row-major, as a managed array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>();
        var result = new T[NumElements];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item() => Native.CheckValue(Native.skd_item(Handle));

    public T Item<T>() where T : unmanaged
    {
        CheckElementType<T>();
        if (NumElements != 1) throw new TorchShapeException($"Item needs a one-element tensor, got shape [{string.Join(", ", Shape)}]");
        Span<T> one = stackalloc T[1];
        CopyTo(one);
        return one[0];
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor in place (no copy). The span is valid while this
    /// tensor lives; writing through it changes the tensor.
    /// </summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckElementType<T>();
        if (NumElements == 0) return Span<T>.Empty;
        IntPtr p = Native.skd_data_ptr(Handle);
        if (p == IntPtr.Zero) throw Native.LastError();
        return new Span<T>((void*)p, checked((int)NumElements));
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        DType wanted = DTypeExtensions.Of<T>();
        if (wanted != DType)
            throw new TorchDtypeException($"a {DType.Name()} tensor cannot be read as {typeof(T).Name} ({wanted.Name()}); convert it with To(DType.{wanted}) first");
    }

    // ---- device, dtype, copies ------------------------------------------------------------

    public Tensor To(DType dtype) => Wrap(Native.skd_to(Handle, (int)dtype, (int)Device.Type, Device.Index, 0));

    public Tensor To(Device device)
    {
        device.EnsureAvailable();
        return Wrap(Native.skd_to(Handle, (int)DType, (int)device.Type, device.Index, 0));
    }

    public Tensor To(Device device, DType dtype)
    {
        device.EnsureAvailable();
        return Wrap(Native.skd_to(Handle, (int)dtype, (int)device.Type, device.Index, 0));
    }

    public Tensor Float() => To(DType.Float32);
    public Tensor Double() => To(DType.Float64);
    public Tensor Long() => To(DType.Int64);
    public Tensor Bool() => To(DType.Bool);
    public Tensor Cpu() => To(Device.Cpu);
    public Tensor Clone() => Wrap(Native.skd_clone(Handle));
    public Tensor Contiguous() => Wrap(Native.skd_contiguous(Handle));

    /// <summary>
    /// The tensor laid out in <paramref name="format"/>: itself (a new handle) when it already is, else a copy
    /// (autograd flows through it). Channels-last applies to 4-D tensors only.
    /// </summary>
    public Tensor Contiguous(MemoryFormat format) => Wrap(Native.skd_contiguous_format(Handle, (int)format));

    /// <summary>A second handle on the same tensor (shares storage and autograd identity).</summary>
    public Tensor Alias() => Wrap(Native.skd_alias(Handle));

    // ---- autograd ----------------------------------------------------------------------

    public bool RequiresGrad
    {
        get => Native.skd_requires_grad(Handle) == 1;
        set => Native.Check(Native.skd_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, like PyTorch's <c>requires_grad_()</c>.</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    public bool IsLeaf => Native.skd_is_leaf(Handle) == 1;

    /// <summary>The accumulated gradient, or null when none was computed. A new handle on each read.</summary>
    public Tensor? Grad
    {
        get
        {
            IntPtr g = Native.CheckOptional(Native.skd_grad(Handle));
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
        set => Native.Check(Native.skd_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
    }

    /// <summary>Back-propagates from this tensor (a scalar, unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false) =>
        Native.Check(Native.skd_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0, createGraph ? 1 : 0));

    /// <summary>The same values cut from the autograd graph (stop-gradient).</summary>
    public Tensor Detach() => Wrap(Native.skd_detach(Handle));
}
