using System.Runtime.InteropServices;

namespace Skd.Torch;

/// <summary>
/// P/Invoke declarations of native/skd_native.h, one to one. Booleans cross as int32, dtypes as
/// c10::ScalarType codes, devices as (c10::DeviceType, index); see the header for each export.
/// </summary>
internal static unsafe partial class Native
{
    private const string Lib = "skd_native";

    [LibraryImport(Lib)] internal static partial IntPtr skd_last_error();
    [LibraryImport(Lib)] internal static partial int skd_last_error_kind();
    [LibraryImport(Lib)] internal static partial void skd_clear_error();

    [LibraryImport(Lib)] internal static partial int skd_torch_version(byte* buffer, int capacity);
    [LibraryImport(Lib)] internal static partial int skd_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int skd_cuda_device_count();
    [LibraryImport(Lib)] internal static partial void skd_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int skd_get_num_threads();
    [LibraryImport(Lib)] internal static partial void skd_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial long skd_live_tensors();
    [LibraryImport(Lib)] internal static partial long skd_cpu_cache_idle_bytes();
    [LibraryImport(Lib)] internal static partial void skd_cpu_cache_empty();

    [LibraryImport(Lib)] internal static partial void skd_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_from_data(void* data, long* shape, int ndim, int dtype);
    [LibraryImport(Lib)] internal static partial int skd_copy_to_buffer(IntPtr t, void* dst, long nbytes);
    [LibraryImport(Lib)] internal static partial IntPtr skd_data_ptr(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_factory(int kind, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, double value, double low, double high);
    [LibraryImport(Lib)] internal static partial IntPtr skd_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial IntPtr skd_like(int kind, IntPtr t, double value);

    [LibraryImport(Lib)] internal static partial int skd_dim(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_shape(IntPtr t, long* output);
    [LibraryImport(Lib)] internal static partial int skd_strides(IntPtr t, long* output);
    [LibraryImport(Lib)] internal static partial int skd_dtype(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_device_type(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_device_index(IntPtr t);
    [LibraryImport(Lib)] internal static partial long skd_numel(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_is_contiguous(IntPtr t);
    [LibraryImport(Lib)] internal static partial double skd_item(IntPtr t);

    [LibraryImport(Lib)] internal static partial IntPtr skd_to(IntPtr t, int dtype, int deviceType, int deviceIndex, int copy);
    [LibraryImport(Lib)] internal static partial IntPtr skd_clone(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_contiguous(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_contiguous_format(IntPtr t, int format);
    [LibraryImport(Lib)] internal static partial int skd_is_contiguous_format(IntPtr t, int format);
    [LibraryImport(Lib)] internal static partial IntPtr skd_alias(IntPtr t);

    [LibraryImport(Lib)] internal static partial IntPtr skd_view(IntPtr t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_reshape(IntPtr t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_permute(IntPtr t, long* dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_transpose(IntPtr t, long dim0, long dim1);
    [LibraryImport(Lib)] internal static partial IntPtr skd_expand(IntPtr t, long* shape, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_repeat(IntPtr t, long* repeats, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_flatten(IntPtr t, long startDim, long endDim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_squeeze(IntPtr t, long dim, int all);
    [LibraryImport(Lib)] internal static partial IntPtr skd_unsqueeze(IntPtr t, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_cat(IntPtr* ts, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_stack(IntPtr* ts, int n, long dim);
    [LibraryImport(Lib)] internal static partial int skd_chunk(IntPtr t, long chunks, long dim, IntPtr* output, int capacity);
    [LibraryImport(Lib)] internal static partial int skd_split(IntPtr t, long* sizes, int n, long dim, IntPtr* output, int capacity);
    [LibraryImport(Lib)] internal static partial IntPtr skd_narrow(IntPtr t, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr skd_select(IntPtr t, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr skd_slice(IntPtr t, long dim, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial IntPtr skd_index_select(IntPtr t, long dim, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr skd_gather(IntPtr t, long dim, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr skd_scatter(IntPtr t, long dim, IntPtr index, IntPtr src);
    [LibraryImport(Lib)] internal static partial IntPtr skd_masked_select(IntPtr t, IntPtr mask);
    [LibraryImport(Lib)] internal static partial IntPtr skd_masked_fill(IntPtr t, IntPtr mask, double value);
    [LibraryImport(Lib)] internal static partial IntPtr skd_flip(IntPtr t, long* dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr skd_rot90(IntPtr t, long k, long dim0, long dim1);
    [LibraryImport(Lib)] internal static partial IntPtr skd_nonzero(IntPtr t);

    [LibraryImport(Lib)] internal static partial IntPtr skd_unary(int op, IntPtr a);
    [LibraryImport(Lib)] internal static partial int skd_unary_(int op, IntPtr a);
    [LibraryImport(Lib)] internal static partial IntPtr skd_binary(int op, IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr skd_binary_scalar(int op, IntPtr a, double b);
    [LibraryImport(Lib)] internal static partial int skd_binary_(int op, IntPtr a, IntPtr b, double alpha);
    [LibraryImport(Lib)] internal static partial int skd_binary_scalar_(int op, IntPtr a, double b);
    [LibraryImport(Lib)] internal static partial IntPtr skd_where(IntPtr cond, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr skd_clamp(IntPtr a, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Lib)] internal static partial int skd_clamp_(IntPtr a, double min, double max, int hasMin, int hasMax);
    [LibraryImport(Lib)] internal static partial int skd_addcmul_(IntPtr t, IntPtr a, IntPtr b, double value);
    [LibraryImport(Lib)] internal static partial int skd_addcdiv_(IntPtr t, IntPtr a, IntPtr b, double value);
    [LibraryImport(Lib)] internal static partial int skd_lerp_(IntPtr t, IntPtr end, double weight);
    [LibraryImport(Lib)] internal static partial int skd_init_(int kind, IntPtr t, double a, double b);
    [LibraryImport(Lib)] internal static partial IntPtr skd_matmul(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr skd_linear(IntPtr x, IntPtr w, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr skd_leaky_relu(IntPtr a, double slope);
    [LibraryImport(Lib)] internal static partial IntPtr skd_pow_tensor_scalar_base(double b, IntPtr e);

    [LibraryImport(Lib)] internal static partial IntPtr skd_reduce(int op, IntPtr t, long* dims, int ndim, int keepdim);
    [LibraryImport(Lib)] internal static partial int skd_max_min_dim(IntPtr t, long dim, int keepdim, int isMax, IntPtr* values, IntPtr* indices);
    [LibraryImport(Lib)] internal static partial IntPtr skd_argmax(IntPtr t, long dim, int keepdim, int isMax);
    [LibraryImport(Lib)] internal static partial IntPtr skd_norm(IntPtr t, double p, long* dims, int ndim, int keepdim);
    [LibraryImport(Lib)] internal static partial int skd_sort(IntPtr t, long dim, int descending, IntPtr* values, IntPtr* indices);
    [LibraryImport(Lib)] internal static partial IntPtr skd_cumsum(IntPtr t, long dim);

    [LibraryImport(Lib)] internal static partial IntPtr skd_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial IntPtr skd_conv_transpose2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
    [LibraryImport(Lib)] internal static partial IntPtr skd_batch_norm(IntPtr x, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr skd_group_norm(IntPtr x, long groups, IntPtr weight, IntPtr bias, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr skd_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [LibraryImport(Lib)] internal static partial IntPtr skd_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Lib)] internal static partial IntPtr skd_adaptive_avg_pool2d(IntPtr x, long* outputSize);
    [LibraryImport(Lib)] internal static partial IntPtr skd_interpolate(IntPtr x, long* outputSize, int mode, int alignCorners, double scaleH, double scaleW);
    [LibraryImport(Lib)] internal static partial IntPtr skd_softmax(IntPtr x, long dim, int log);
    [LibraryImport(Lib)] internal static partial IntPtr skd_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, int reduction, long ignoreIndex, double labelSmoothing);
    [LibraryImport(Lib)] internal static partial IntPtr skd_binary_cross_entropy(IntPtr p, IntPtr y, IntPtr weight, int reduction);
    [LibraryImport(Lib)] internal static partial IntPtr skd_bce_with_logits(IntPtr x, IntPtr y, IntPtr weight, IntPtr posWeight, int reduction);
    [LibraryImport(Lib)] internal static partial IntPtr skd_kl_div(IntPtr input, IntPtr target, int reduction, int logTarget);
    [LibraryImport(Lib)] internal static partial IntPtr skd_mse_loss(IntPtr a, IntPtr b, int reduction);
    [LibraryImport(Lib)] internal static partial IntPtr skd_dropout(IntPtr x, double p, int train, int feature);
    [LibraryImport(Lib)] internal static partial IntPtr skd_one_hot(IntPtr t, long numClasses);
    [LibraryImport(Lib)] internal static partial IntPtr skd_affine_grid(IntPtr theta, long* size, int ndim, int alignCorners);
    [LibraryImport(Lib)] internal static partial IntPtr skd_grid_sample(IntPtr x, IntPtr grid, int mode, int paddingMode, int alignCorners);
    [LibraryImport(Lib)] internal static partial IntPtr skd_pad(IntPtr x, long* pad, int npad, int mode, double value);

    [LibraryImport(Lib)] internal static partial int skd_requires_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_set_requires_grad(IntPtr t, int flag);
    [LibraryImport(Lib)] internal static partial int skd_backward(IntPtr t, IntPtr grad, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial IntPtr skd_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_autograd_grad(IntPtr output, IntPtr input, int retainGraph);
    [LibraryImport(Lib)] internal static partial int skd_set_grad(IntPtr t, IntPtr grad);
    [LibraryImport(Lib)] internal static partial int skd_is_leaf(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr skd_detach(IntPtr t);
    [LibraryImport(Lib)] internal static partial int skd_grad_enabled();
    [LibraryImport(Lib)] internal static partial void skd_set_grad_enabled(int enabled);
    [LibraryImport(Lib)] internal static partial IntPtr skd_gradient_reversal(IntPtr x, double lambda);

    /// <summary>Throws the typed exception for the error the last native call on this thread left.</summary>
    internal static Exception LastError()
    {
        IntPtr message = skd_last_error();
        var kind = (NativeErrorKind)skd_last_error_kind();
        string text = message == IntPtr.Zero ? "native call failed without a message" : Marshal.PtrToStringUTF8(message)!;
        skd_clear_error();
        return TorchException.FromNative(kind, text);
    }

    /// <summary>A tensor handle that must not be null: null means the call failed.</summary>
    internal static IntPtr Check(IntPtr handle) => handle != IntPtr.Zero ? handle : throw LastError();

    /// <summary>A status code: 0 is success.</summary>
    internal static void Check(int status)
    {
        if (status != 0) throw LastError();
    }

    /// <summary>A value whose 0 is also the failure result: an error left on this thread says which.</summary>
    internal static double CheckValue(double value) => value == 0.0 && skd_last_error() != IntPtr.Zero ? throw LastError() : value;

    /// <summary>A handle that may legitimately be null (an undefined tensor) when no error was set.</summary>
    internal static IntPtr CheckOptional(IntPtr handle)
    {
        if (handle == IntPtr.Zero && skd_last_error() != IntPtr.Zero) throw LastError();
        return handle;
    }
}
