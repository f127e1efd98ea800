namespace Skd.Torch;

/// <summary>skd_unary_op (native/skd_tables.h).</summary>
[NativeTable("SKD_UNARY_OPS")]
internal enum UnaryOp
{
    Neg, Abs, Exp, Log, Sqrt, Rsqrt, Sigmoid, Tanh, Relu, Sign, Floor, Ceil, Round, Log1p, Expm1, Sin, Cos,
    LogicalNot, IsNan, IsInf, IsFinite, Reciprocal, Square, Erf, Softplus, Zero, Log2, Trunc,
}

/// <summary>skd_binary_op (native/skd_tables.h).</summary>
[NativeTable("SKD_BINARY_OPS")]
internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor,
    Remainder, FloorDivide, Atan2, RSub, Copy,
}

/// <summary>skd_reduce_op (native/skd_tables.h).</summary>
[NativeTable("SKD_REDUCE_OPS")]
internal enum ReduceOp
{
    Sum, Mean, Prod, Amax, Amin, Any, All, Std, Var, LogSumExp, NanSum,
}

// Tensor operations with PyTorch's semantics (broadcasting, type promotion, dim, keepdim).
// Names follow torch.Tensor in .NET casing; a trailing underscore marks an in-place operation.
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op) => Wrap(Native.skd_unary((int)op, Handle));
    private Tensor Unary_(UnaryOp op)
    {
        Native.Check(Native.skd_unary_((int)op, Handle));
        return this;
    }
    private Tensor Binary(BinaryOp op, Tensor other, double alpha = 1) => Wrap(Native.skd_binary((int)op, Handle, other.Handle, alpha));
    private Tensor Binary(BinaryOp op, double other) => Wrap(Native.skd_binary_scalar((int)op, Handle, other));
    private Tensor Binary_(BinaryOp op, Tensor other, double alpha = 1)
    {
        Native.Check(Native.skd_binary_((int)op, Handle, other.Handle, alpha));
        return this;
    }
    private Tensor Binary_(BinaryOp op, double other)
    {
        Native.Check(Native.skd_binary_scalar_((int)op, Handle, other));
        return this;
    }

    // ---- arithmetic, each operation beside its in-place form ------------------------------

    /// <summary>this + alpha·other.</summary>
    public Tensor Add(Tensor other, double alpha = 1) => Binary(BinaryOp.Add, other, alpha);
    public Tensor Add(double other) => Binary(BinaryOp.Add, other);
    public Tensor Add_(Tensor other, double alpha = 1) => Binary_(BinaryOp.Add, other, alpha);
    public Tensor Add_(double other) => Binary_(BinaryOp.Add, other);
    /// <summary>this − alpha·other.</summary>
    public Tensor Sub(Tensor other, double alpha = 1) => Binary(BinaryOp.Sub, other, alpha);
    public Tensor Sub(double other) => Binary(BinaryOp.Sub, other);
    public Tensor Sub_(Tensor other, double alpha = 1) => Binary_(BinaryOp.Sub, other, alpha);
    public Tensor Sub_(double other) => Binary_(BinaryOp.Sub, other);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul(double other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul_(Tensor other) => Binary_(BinaryOp.Mul, other);
    public Tensor Mul_(double other) => Binary_(BinaryOp.Mul, other);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Div(double other) => Binary(BinaryOp.Div, other);
    public Tensor Div_(Tensor other) => Binary_(BinaryOp.Div, other);
    public Tensor Div_(double other) => Binary_(BinaryOp.Div, other);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow_(double exponent) => Binary_(BinaryOp.Pow, exponent);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    public Tensor Remainder(Tensor other) => Binary(BinaryOp.Remainder, other);
    public Tensor Remainder(double other) => Binary(BinaryOp.Remainder, other);
    public Tensor FloorDivide(Tensor other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor FloorDivide(double other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, other);

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator -(double a, Tensor b) => b.Binary(BinaryOp.RSub, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator /(double a, Tensor b) => b.Reciprocal().Mul(a);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator %(Tensor a, double b) => a.Remainder(b);

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log2() => Unary(UnaryOp.Log2);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Softplus() => Unary(UnaryOp.Softplus);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Trunc() => Unary(UnaryOp.Trunc);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Erf() => Unary(UnaryOp.Erf);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsInf() => Unary(UnaryOp.IsInf);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(Native.skd_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));
    public Tensor ClampMin(double min) => Clamp(min, null);
    public Tensor ClampMax(double max) => Clamp(null, max);
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Wrap(Native.skd_leaky_relu(Handle, negativeSlope));
    public Tensor Matmul(Tensor other) => Wrap(Native.skd_matmul(Handle, other.Handle));

    /// <summary>PyTorch's <c>torch.where(condition, this, other)</c> with this tensor as the condition.</summary>
    public Tensor Where(Tensor ifTrue, Tensor ifFalse) => Wrap(Native.skd_where(Handle, ifTrue.Handle, ifFalse.Handle));

    // ---- comparisons and logic (bool results) ----------------------------------------------

    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Eq(double other) => Binary(BinaryOp.Eq, other);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor Ne(double other) => Binary(BinaryOp.Ne, other);
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    public Tensor Lt(double other) => Binary(BinaryOp.Lt, other);
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);
    public Tensor Le(double other) => Binary(BinaryOp.Le, other);
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    public Tensor Gt(double other) => Binary(BinaryOp.Gt, other);
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);
    public Tensor Ge(double other) => Binary(BinaryOp.Ge, other);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);
    public Tensor LogicalXor(Tensor other) => Binary(BinaryOp.LogicalXor, other);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    // ---- other in-place operations (optimisers, initialisation, buffers) ----------------

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcast, converted).</summary>
    public Tensor Copy_(Tensor source) => Binary_(BinaryOp.Copy, source);
    public Tensor Fill_(double value) => Binary_(BinaryOp.Copy, value);
    public Tensor Zero_() => Unary_(UnaryOp.Zero);
    public Tensor Sqrt_() => Unary_(UnaryOp.Sqrt);
    public Tensor Relu_() => Unary_(UnaryOp.Relu);
    public Tensor Neg_() => Unary_(UnaryOp.Neg);
    public Tensor Clamp_(double? min = null, double? max = null)
    {
        Native.Check(Native.skd_clamp_(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));
        return this;
    }
    /// <summary>this += value · a · b.</summary>
    public Tensor Addcmul_(Tensor a, Tensor b, double value = 1)
    {
        Native.Check(Native.skd_addcmul_(Handle, a.Handle, b.Handle, value));
        return this;
    }
    /// <summary>this += value · a / b.</summary>
    public Tensor Addcdiv_(Tensor a, Tensor b, double value = 1)
    {
        Native.Check(Native.skd_addcdiv_(Handle, a.Handle, b.Handle, value));
        return this;
    }
    /// <summary>this += weight · (end − this).</summary>
    public Tensor Lerp_(Tensor end, double weight)
    {
        Native.Check(Native.skd_lerp_(Handle, end.Handle, weight));
        return this;
    }
    /// <summary>Fills with samples of U(low, high), without recording gradients.</summary>
    public Tensor Uniform_(double low = 0, double high = 1)
    {
        Native.Check(Native.skd_init_((int)InitKind.Uniform, Handle, low, high));
        return this;
    }
    /// <summary>Fills with samples of N(mean, std²), without recording gradients.</summary>
    public Tensor Normal_(double mean = 0, double std = 1)
    {
        Native.Check(Native.skd_init_((int)InitKind.Normal, Handle, mean, std));
        return this;
    }

    // ---- reductions --------------------------------------------------------------------

    private unsafe Tensor Reduce(ReduceOp op, long[] dims, bool keepDim)
    {
        fixed (long* d = dims) return Wrap(Native.skd_reduce((int)op, Handle, d, dims.Length, keepDim ? 1 : 0));
    }

    /// <summary>Sum over every element.</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, [], false);
    public Tensor Sum(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Mean() => Reduce(ReduceOp.Mean, [], false);
    public Tensor Mean(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor NanSum() => Reduce(ReduceOp.NanSum, [], false);
    public Tensor Prod() => Reduce(ReduceOp.Prod, [], false);
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, [dim], keepDim);
    /// <summary>Largest element.</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, [], false);
    public Tensor Min() => Reduce(ReduceOp.Amin, [], false);
    public Tensor Amax(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amax, dims, keepDim);
    public Tensor Amin(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amin, dims, keepDim);
    /// <summary>Unbiased standard deviation (Bessel's correction), as torch.std.</summary>
    public Tensor Std() => Reduce(ReduceOp.Std, [], false);
    public Tensor Std(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim);
    public Tensor Var() => Reduce(ReduceOp.Var, [], false);
    public Tensor Var(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim);
    public Tensor LogSumExp(long[] dims, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, dims, keepDim);
    public Tensor Any() => Reduce(ReduceOp.Any, [], false);
    public Tensor Any(long dim, bool keepDim = false) => Reduce(ReduceOp.Any, [dim], keepDim);
    public Tensor All() => Reduce(ReduceOp.All, [], false);
    public Tensor All(long dim, bool keepDim = false) => Reduce(ReduceOp.All, [dim], keepDim);

    /// <summary>Maximum values and their indices along <paramref name="dim"/>.</summary>
    public unsafe (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        Native.Check(Native.skd_max_min_dim(Handle, dim, keepDim ? 1 : 0, 1, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public unsafe (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        IntPtr v, i;
        Native.Check(Native.skd_max_min_dim(Handle, dim, keepDim ? 1 : 0, 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    private const long AllDims = long.MinValue;
    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor Argmax() => Wrap(Native.skd_argmax(Handle, AllDims, 0, 1));
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(Native.skd_argmax(Handle, dim, keepDim ? 1 : 0, 1));
    public Tensor Argmin() => Wrap(Native.skd_argmax(Handle, AllDims, 0, 0));
    public Tensor Argmin(long dim, bool keepDim = false) => Wrap(Native.skd_argmax(Handle, dim, keepDim ? 1 : 0, 0));

    /// <summary>The p-norm over all elements, or over <paramref name="dims"/>.</summary>
    public unsafe Tensor Norm(double p = 2, long[]? dims = null, bool keepDim = false)
    {
        dims ??= [];
        fixed (long* d = dims) return Wrap(Native.skd_norm(Handle, p, d, dims.Length, keepDim ? 1 : 0));
    }

    public unsafe (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        IntPtr v, i;
        Native.Check(Native.skd_sort(Handle, dim, descending ? 1 : 0, &v, &i));
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor CumSum(long dim) => Wrap(Native.skd_cumsum(Handle, dim));

    // ---- shape ---------------------------------------------------------------------------

    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(Native.skd_view(Handle, s, shape.Length));
    }
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(Native.skd_reshape(Handle, s, shape.Length));
    }
    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* s = dims) return Wrap(Native.skd_permute(Handle, s, dims.Length));
    }
    public Tensor Transpose(long dim0, long dim1) => Wrap(Native.skd_transpose(Handle, dim0, dim1));
    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* s = shape) return Wrap(Native.skd_expand(Handle, s, shape.Length));
    }
    public Tensor ExpandAs(Tensor other) => Expand(other.Shape);
    public unsafe Tensor Repeat(params long[] repeats)
    {
        fixed (long* s = repeats) return Wrap(Native.skd_repeat(Handle, s, repeats.Length));
    }
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(Native.skd_flatten(Handle, startDim, endDim));
    /// <summary>Removes every size-1 dimension.</summary>
    public Tensor Squeeze() => Wrap(Native.skd_squeeze(Handle, 0, 1));
    public Tensor Squeeze(long dim) => Wrap(Native.skd_squeeze(Handle, dim, 0));
    public Tensor Unsqueeze(long dim) => Wrap(Native.skd_unsqueeze(Handle, dim));
    public Tensor Narrow(long dim, long start, long length) => Wrap(Native.skd_narrow(Handle, dim, start, length));
    public Tensor Select(long dim, long index) => Wrap(Native.skd_select(Handle, dim, index));
    /// <summary>Elements start, start+step, … before end along dim (PyTorch's <c>t[..., start:end:step]</c>).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) => Wrap(Native.skd_slice(Handle, dim, start, end, step));
    public Tensor IndexSelect(long dim, Tensor index) => Wrap(Native.skd_index_select(Handle, dim, index.Handle));
    public Tensor Gather(long dim, Tensor index) => Wrap(Native.skd_gather(Handle, dim, index.Handle));
    public Tensor Scatter(long dim, Tensor index, Tensor source) => Wrap(Native.skd_scatter(Handle, dim, index.Handle, source.Handle));
    public Tensor MaskedSelect(Tensor mask) => Wrap(Native.skd_masked_select(Handle, mask.Handle));
    public Tensor MaskedFill(Tensor mask, double value) => Wrap(Native.skd_masked_fill(Handle, mask.Handle, value));
    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* s = dims) return Wrap(Native.skd_flip(Handle, s, dims.Length));
    }
    public Tensor Rot90(long k = 1, long dim0 = 0, long dim1 = 1) => Wrap(Native.skd_rot90(Handle, k, dim0, dim1));
    /// <summary>Indices of the non-zero elements, one row per element (N × dim).</summary>
    public Tensor Nonzero() => Wrap(Native.skd_nonzero(Handle));

    /// <summary>Sub-tensor <paramref name="index"/> along the first dimension.</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public Tensor this[long index] => Select(0, index);

    /// <summary>Splits into <paramref name="chunks"/> pieces along dim (the last may be smaller).</summary>
    public unsafe Tensor[] Chunk(long chunks, long dim = 0)
    {
        var handles = new IntPtr[Math.Max(1, chunks)];
        int n;
        fixed (IntPtr* o = handles) n = Native.skd_chunk(Handle, chunks, dim, o, handles.Length);
        if (n < 0) throw Native.LastError();
        return handles.Take(n).Select(h => new Tensor(h)).ToArray();
    }

    /// <summary>Splits along dim into pieces of the given sizes.</summary>
    public unsafe Tensor[] Split(long[] sizes, long dim = 0)
    {
        var handles = new IntPtr[sizes.Length];
        int n;
        fixed (IntPtr* o = handles)
        fixed (long* s = sizes)
            n = Native.skd_split(Handle, s, sizes.Length, dim, o, handles.Length);
        if (n < 0) throw Native.LastError();
        return handles.Take(n).Select(h => new Tensor(h)).ToArray();
    }

    /// <summary>Splits along dim into pieces of <paramref name="size"/> (the last may be smaller).</summary>
    public Tensor[] Split(long size, long dim = 0)
    {
        long total = Size((int)dim);
        var sizes = new List<long>();
        for (long start = 0; start < total; start += size) sizes.Add(Math.Min(size, total - start));
        return Split(sizes.ToArray(), dim);
    }

    public Tensor Softmax(long dim) => Wrap(Native.skd_softmax(Handle, dim, 0));
    public Tensor LogSoftmax(long dim) => Wrap(Native.skd_softmax(Handle, dim, 1));
}
