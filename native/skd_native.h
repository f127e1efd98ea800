/*
 * skd_native: the C ABI over libtorch that the C# layer (src/Skd.Torch) calls by P/Invoke.
 *
 * This header lists every export. Conventions:
 *  - A tensor is an opaque handle (an owned at::Tensor on the heap); skd_free releases it.
 *  - No C++ exception ever crosses the boundary. A failing call returns NULL (tensor results)
 *    or a non-zero int32 (status results) and leaves its message in a thread-local slot that
 *    skd_last_error() reads and skd_clear_error() empties. A NULL tensor result with no error
 *    set is a legitimate "undefined" (e.g. the grad of a leaf that has none).
 *  - Only fixed-size integer types cross: booleans are int32_t (0 = false, else true),
 *    dtypes are c10::ScalarType codes, devices are (c10::DeviceType code, index).
 *  - An optional tensor argument is NULL when absent.
 *  - Every other int32 code (ops, kinds, modes, error kinds) is an enum below, made from the
 *    tables of skd_tables.h that the C# enums are checked against.
 */
#ifndef SKD_NATIVE_H
#define SKD_NATIVE_H

#include <stdint.h>

#include "skd_tables.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKD_API __attribute__((visibility("default")))

typedef void* skd_tensor;

#define SKD_ENUM_ERROR(name) SKD_ERROR_##name,
#define SKD_ENUM_FACTORY(name) SKD_FACTORY_##name,
#define SKD_ENUM_INIT(name) SKD_INIT_##name,
#define SKD_ENUM_UNARY(name) SKD_UNARY_##name,
#define SKD_ENUM_BINARY(name) SKD_BINARY_##name,
#define SKD_ENUM_REDUCE(name) SKD_REDUCE_##name,
#define SKD_ENUM_REDUCTION(name) SKD_REDUCTION_##name,
#define SKD_ENUM_INTERPOLATION(name) SKD_INTERPOLATION_##name,
#define SKD_ENUM_GRID_SAMPLE_MODE(name) SKD_GRID_SAMPLE_MODE_##name,
#define SKD_ENUM_GRID_SAMPLE_PADDING(name) SKD_GRID_SAMPLE_PADDING_##name,
#define SKD_ENUM_PADDING(name) SKD_PADDING_##name,
#define SKD_ENUM_MEMORY_FORMAT(name) SKD_MEMORY_FORMAT_##name,
enum skd_error_kind { SKD_ERROR_KINDS(SKD_ENUM_ERROR) };
enum skd_factory_kind { SKD_FACTORY_KINDS(SKD_ENUM_FACTORY) };
enum skd_init_kind { SKD_INIT_KINDS(SKD_ENUM_INIT) };
enum skd_unary_op { SKD_UNARY_OPS(SKD_ENUM_UNARY) };
enum skd_binary_op { SKD_BINARY_OPS(SKD_ENUM_BINARY) };
enum skd_reduce_op { SKD_REDUCE_OPS(SKD_ENUM_REDUCE) };
enum skd_reduction { SKD_REDUCTIONS(SKD_ENUM_REDUCTION) };
enum skd_interpolation_mode { SKD_INTERPOLATION_MODES(SKD_ENUM_INTERPOLATION) };
enum skd_grid_sample_mode { SKD_GRID_SAMPLE_MODES(SKD_ENUM_GRID_SAMPLE_MODE) };
enum skd_grid_sample_padding { SKD_GRID_SAMPLE_PADDINGS(SKD_ENUM_GRID_SAMPLE_PADDING) };
enum skd_padding_mode { SKD_PADDING_MODES(SKD_ENUM_PADDING) };
enum skd_memory_format { SKD_MEMORY_FORMATS(SKD_ENUM_MEMORY_FORMAT) };

/* ---- errors, runtime ---------------------------------------------------------------- */
/* skd_last_error_kind: the skd_error_kind of the last error (errors.cpp classifies what was caught). */
SKD_API const char* skd_last_error(void);
SKD_API int32_t skd_last_error_kind(void);
SKD_API void skd_clear_error(void);

SKD_API int32_t skd_torch_version(char* buffer, int32_t capacity);
SKD_API int32_t skd_cuda_is_available(void);
SKD_API int32_t skd_cuda_device_count(void);
SKD_API void skd_set_num_threads(int32_t n);
SKD_API int32_t skd_get_num_threads(void);
SKD_API void skd_manual_seed(uint64_t seed);
SKD_API int64_t skd_live_tensors(void);
/* The caching allocator for CPU blocks of 1 MiB and more (cpu_block_cache.cpp): bytes held idle
 * (-1 when disabled by SKD_CPU_CACHE_MB=0), and giving them all back to the system. */
SKD_API int64_t skd_cpu_cache_idle_bytes(void);
SKD_API void skd_cpu_cache_empty(void);

/* ---- lifecycle, creation, metadata -------------------------------------------------- */
SKD_API void skd_free(skd_tensor t);
SKD_API skd_tensor skd_from_data(const void* data, const int64_t* shape, int32_t ndim, int32_t dtype);
SKD_API int32_t skd_copy_to_buffer(skd_tensor t, void* dst, int64_t nbytes);
SKD_API void* skd_data_ptr(skd_tensor t);
/* kind: an skd_factory_kind; full takes value, randint [low, high) */
SKD_API skd_tensor skd_factory(int32_t kind, const int64_t* shape, int32_t ndim, int32_t dtype,
                               int32_t device_type, int32_t device_index, double value, double low, double high);
SKD_API skd_tensor skd_arange(double start, double end, double step, int32_t dtype, int32_t device_type, int32_t device_index);
/* kind: an skd_factory_kind other than RandInt */
SKD_API skd_tensor skd_like(int32_t kind, skd_tensor t, double value);

SKD_API int32_t skd_dim(skd_tensor t);
SKD_API int32_t skd_shape(skd_tensor t, int64_t* out);
SKD_API int32_t skd_strides(skd_tensor t, int64_t* out);
SKD_API int32_t skd_dtype(skd_tensor t);
SKD_API int32_t skd_device_type(skd_tensor t);
SKD_API int32_t skd_device_index(skd_tensor t);
SKD_API int64_t skd_numel(skd_tensor t);
SKD_API int32_t skd_is_contiguous(skd_tensor t);
SKD_API double skd_item(skd_tensor t);

SKD_API skd_tensor skd_to(skd_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, int32_t copy);
SKD_API skd_tensor skd_clone(skd_tensor t);
SKD_API skd_tensor skd_contiguous(skd_tensor t);
/* format: an skd_memory_format (ChannelsLast: 4-D tensors whose channels are innermost, N,H,W,C in
 * memory). A tensor of another rank asked for channels_last is an error. */
SKD_API skd_tensor skd_contiguous_format(skd_tensor t, int32_t format);
SKD_API int32_t skd_is_contiguous_format(skd_tensor t, int32_t format);
SKD_API skd_tensor skd_alias(skd_tensor t);

/* ---- shape ops ---------------------------------------------------------------------- */
SKD_API skd_tensor skd_view(skd_tensor t, const int64_t* shape, int32_t ndim);
SKD_API skd_tensor skd_reshape(skd_tensor t, const int64_t* shape, int32_t ndim);
SKD_API skd_tensor skd_permute(skd_tensor t, const int64_t* dims, int32_t ndim);
SKD_API skd_tensor skd_transpose(skd_tensor t, int64_t dim0, int64_t dim1);
SKD_API skd_tensor skd_expand(skd_tensor t, const int64_t* shape, int32_t ndim);
SKD_API skd_tensor skd_repeat(skd_tensor t, const int64_t* repeats, int32_t ndim);
SKD_API skd_tensor skd_flatten(skd_tensor t, int64_t start_dim, int64_t end_dim);
SKD_API skd_tensor skd_squeeze(skd_tensor t, int64_t dim, int32_t all);
SKD_API skd_tensor skd_unsqueeze(skd_tensor t, int64_t dim);
SKD_API skd_tensor skd_cat(const skd_tensor* ts, int32_t n, int64_t dim);
SKD_API skd_tensor skd_stack(const skd_tensor* ts, int32_t n, int64_t dim);
/* chunk/split write up to `capacity` handles into `out` and return how many (-1 on error) */
SKD_API int32_t skd_chunk(skd_tensor t, int64_t chunks, int64_t dim, skd_tensor* out, int32_t capacity);
SKD_API int32_t skd_split(skd_tensor t, const int64_t* sizes, int32_t n, int64_t dim, skd_tensor* out, int32_t capacity);
SKD_API skd_tensor skd_narrow(skd_tensor t, int64_t dim, int64_t start, int64_t length);
SKD_API skd_tensor skd_select(skd_tensor t, int64_t dim, int64_t index);
SKD_API skd_tensor skd_slice(skd_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
SKD_API skd_tensor skd_index_select(skd_tensor t, int64_t dim, skd_tensor index);
SKD_API skd_tensor skd_gather(skd_tensor t, int64_t dim, skd_tensor index);
SKD_API skd_tensor skd_scatter(skd_tensor t, int64_t dim, skd_tensor index, skd_tensor src);
SKD_API skd_tensor skd_masked_select(skd_tensor t, skd_tensor mask);
SKD_API skd_tensor skd_masked_fill(skd_tensor t, skd_tensor mask, double value);
SKD_API skd_tensor skd_flip(skd_tensor t, const int64_t* dims, int32_t ndim);
SKD_API skd_tensor skd_rot90(skd_tensor t, int64_t k, int64_t dim0, int64_t dim1);
SKD_API skd_tensor skd_nonzero(skd_tensor t);

/* ---- elementwise (op: an skd_unary_op or skd_binary_op) --------------------------- */
SKD_API skd_tensor skd_unary(int32_t op, skd_tensor a);
SKD_API int32_t skd_unary_(int32_t op, skd_tensor a);
/* alpha scales b for ADD and SUB (a + alpha*b), as in PyTorch */
SKD_API skd_tensor skd_binary(int32_t op, skd_tensor a, skd_tensor b, double alpha);
SKD_API skd_tensor skd_binary_scalar(int32_t op, skd_tensor a, double b);
SKD_API int32_t skd_binary_(int32_t op, skd_tensor a, skd_tensor b, double alpha);
SKD_API int32_t skd_binary_scalar_(int32_t op, skd_tensor a, double b);
SKD_API skd_tensor skd_where(skd_tensor cond, skd_tensor a, skd_tensor b);
/* has_min / has_max select which bounds apply */
SKD_API skd_tensor skd_clamp(skd_tensor a, double min, double max, int32_t has_min, int32_t has_max);
SKD_API int32_t skd_clamp_(skd_tensor a, double min, double max, int32_t has_min, int32_t has_max);
SKD_API int32_t skd_addcmul_(skd_tensor t, skd_tensor a, skd_tensor b, double value);
SKD_API int32_t skd_addcdiv_(skd_tensor t, skd_tensor a, skd_tensor b, double value);
SKD_API int32_t skd_lerp_(skd_tensor t, skd_tensor end, double weight);
/* kind: an skd_init_kind */
SKD_API int32_t skd_init_(int32_t kind, skd_tensor t, double a, double b);
SKD_API skd_tensor skd_matmul(skd_tensor a, skd_tensor b);
SKD_API skd_tensor skd_linear(skd_tensor x, skd_tensor w, skd_tensor b);
SKD_API skd_tensor skd_leaky_relu(skd_tensor a, double slope);
SKD_API skd_tensor skd_pow_tensor_scalar_base(double base, skd_tensor e);

/* ---- reductions (op: an skd_reduce_op) ---------------------------------------------- */
/* ndim = 0 reduces every dimension */
SKD_API skd_tensor skd_reduce(int32_t op, skd_tensor t, const int64_t* dims, int32_t ndim, int32_t keepdim);
/* values and indices along dim: is_max selects max or min */
SKD_API int32_t skd_max_min_dim(skd_tensor t, int64_t dim, int32_t keepdim, int32_t is_max, skd_tensor* values, skd_tensor* indices);
/* dim < -1000 means over all elements */
SKD_API skd_tensor skd_argmax(skd_tensor t, int64_t dim, int32_t keepdim, int32_t is_max);
SKD_API skd_tensor skd_norm(skd_tensor t, double p, const int64_t* dims, int32_t ndim, int32_t keepdim);
SKD_API int32_t skd_sort(skd_tensor t, int64_t dim, int32_t descending, skd_tensor* values, skd_tensor* indices);
SKD_API skd_tensor skd_cumsum(skd_tensor t, int64_t dim);

/* ---- neural-network functions ------------------------------------------------------- */
SKD_API skd_tensor skd_conv2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride,
                              const int64_t* padding, const int64_t* dilation, int64_t groups);
SKD_API skd_tensor skd_conv_transpose2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride,
                                        const int64_t* padding, const int64_t* output_padding,
                                        int64_t groups, const int64_t* dilation);
SKD_API skd_tensor skd_batch_norm(skd_tensor x, skd_tensor weight, skd_tensor bias, skd_tensor running_mean,
                                  skd_tensor running_var, int32_t training, double momentum, double eps);
SKD_API skd_tensor skd_group_norm(skd_tensor x, int64_t groups, skd_tensor weight, skd_tensor bias, double eps);
SKD_API skd_tensor skd_max_pool2d(skd_tensor x, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, const int64_t* dilation, int32_t ceil_mode);
SKD_API skd_tensor skd_avg_pool2d(skd_tensor x, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad);
SKD_API skd_tensor skd_adaptive_avg_pool2d(skd_tensor x, const int64_t* output_size);
/* mode: an skd_interpolation_mode. scale_h/scale_w <= 0: derived from sizes. */
SKD_API skd_tensor skd_interpolate(skd_tensor x, const int64_t* output_size, int32_t mode,
                                   int32_t align_corners, double scale_h, double scale_w);
SKD_API skd_tensor skd_softmax(skd_tensor x, int64_t dim, int32_t log);
/* reduction: an skd_reduction */
SKD_API skd_tensor skd_cross_entropy(skd_tensor logits, skd_tensor target, skd_tensor weight,
                                     int32_t reduction, int64_t ignore_index, double label_smoothing);
SKD_API skd_tensor skd_binary_cross_entropy(skd_tensor p, skd_tensor y, skd_tensor weight, int32_t reduction);
SKD_API skd_tensor skd_bce_with_logits(skd_tensor x, skd_tensor y, skd_tensor weight, skd_tensor pos_weight, int32_t reduction);
SKD_API skd_tensor skd_kl_div(skd_tensor input, skd_tensor target, int32_t reduction, int32_t log_target);
SKD_API skd_tensor skd_mse_loss(skd_tensor a, skd_tensor b, int32_t reduction);
SKD_API skd_tensor skd_dropout(skd_tensor x, double p, int32_t train, int32_t feature);
SKD_API skd_tensor skd_one_hot(skd_tensor t, int64_t num_classes);
SKD_API skd_tensor skd_affine_grid(skd_tensor theta, const int64_t* size, int32_t ndim, int32_t align_corners);
/* mode: an skd_grid_sample_mode; padding_mode: an skd_grid_sample_padding */
SKD_API skd_tensor skd_grid_sample(skd_tensor x, skd_tensor grid, int32_t mode, int32_t padding_mode, int32_t align_corners);
/* mode: an skd_padding_mode; pad lists (left, right, top, bottom, ...) */
SKD_API skd_tensor skd_pad(skd_tensor x, const int64_t* pad, int32_t npad, int32_t mode, double value);

/* ---- autograd ----------------------------------------------------------------------- */
SKD_API int32_t skd_requires_grad(skd_tensor t);
SKD_API int32_t skd_set_requires_grad(skd_tensor t, int32_t flag);
SKD_API int32_t skd_backward(skd_tensor t, skd_tensor grad, int32_t retain_graph, int32_t create_graph);
SKD_API skd_tensor skd_grad(skd_tensor t);
SKD_API int32_t skd_set_grad(skd_tensor t, skd_tensor grad);
/* d output / d input without touching any .grad (torch.autograd.grad, allow_unused): NULL with no
 * error when output does not depend on input. retain_graph keeps the graph for a later backward. */
SKD_API skd_tensor skd_autograd_grad(skd_tensor output, skd_tensor input, int32_t retain_graph);
SKD_API int32_t skd_is_leaf(skd_tensor t);
SKD_API skd_tensor skd_detach(skd_tensor t);
SKD_API int32_t skd_grad_enabled(void);
SKD_API void skd_set_grad_enabled(int32_t enabled);
/* Gradient reversal: identity forward, -lambda * grad backward (Ganin & Lempitsky 2015). */
SKD_API skd_tensor skd_gradient_reversal(skd_tensor x, double lambda);

#ifdef __cplusplus
}
#endif
#endif
