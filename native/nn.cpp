// Neural-network functions of skd_native.h: convolutions, normalisation, pooling, resizing, softmax, losses, dropout, sampling grids, padding.
#include "shim.h"

using namespace skd;

extern "C" {

skd_tensor skd_conv2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride, const int64_t* padding,
                      const int64_t* dilation, int64_t groups) {
  SKD_TENSOR(at::conv2d(T(x), T(w), optional(b), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
}
// A transposed convolution whose square kernel equals its stride (k×k, stride k, no padding, dilation 1, one group: the
// U-Net's 2×2/2 up-sampling) scatters each input pixel into its own k×k output block, so it is exactly a 1×1 convolution
// to C_out·k² channels followed by a depth-to-space (pixel shuffle) of factor k:
//   y[n, o, k·h + i, k·w + j] = b[o] + Σ_c x[n, c, h, w]·W[c, o, i, j] = shuffle(conv1x1(x, W'), k),
//   W'[o·k² + i·k + j, c] = W[c, o, i, j] (W permuted to C_out×k×k×C_in), b' = b repeated k² times (o·k² + ...).
// On the CPU, libtorch 1.13 runs conv_transpose2d through its im2col kernel (slow_conv_transpose2d), not oneDNN, and
// returns it contiguous whatever the input's memory format; the 1×1 convolution runs on oneDNN and the shuffle keeps a
// channels-last input channels-last. Same values to float rounding, same gradients (the permute and repeat are part of
// the graph); forward + backward take 0.2-0.8x the time at the U-Net's decoder stages, channels-last U-Net training ran
// 1.37x more images a second (bench/reference/conv_transpose_bench.py, bench/run.sh). Elsewhere: at::conv_transpose2d.
static bool is_non_overlapping_up_sampling(const at::Tensor& x, const at::Tensor& w, at::IntArrayRef stride, at::IntArrayRef padding,
                                           at::IntArrayRef output_padding, int64_t groups, at::IntArrayRef dilation) {
  return x.device().is_cpu() && x.dim() == 4 && w.dim() == 4 && groups == 1 && w.size(2) == w.size(3) &&
         stride[0] == w.size(2) && stride[1] == w.size(3) && padding[0] == 0 && padding[1] == 0 &&
         output_padding[0] == 0 && output_padding[1] == 0 && dilation[0] == 1 && dilation[1] == 1;
}
static at::Tensor up_sampling_conv_transpose2d(const at::Tensor& x, const at::Tensor& w, const compat::optional<at::Tensor>& b,
                                               at::IntArrayRef stride, at::IntArrayRef padding, at::IntArrayRef output_padding,
                                               int64_t groups, at::IntArrayRef dilation) {
  if (!is_non_overlapping_up_sampling(x, w, stride, padding, output_padding, groups, dilation))
    return at::conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation);
  const int64_t k = w.size(2), blocks = k * k;
  at::Tensor pointwise = w.permute({1, 2, 3, 0}).reshape({w.size(1) * blocks, w.size(0), 1, 1});
  compat::optional<at::Tensor> bias = b ? compat::optional<at::Tensor>(b->repeat_interleave(blocks)) : compat::nullopt;
  return at::pixel_shuffle(at::conv2d(x, pointwise, bias), k);
}
skd_tensor skd_conv_transpose2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride, const int64_t* padding,
                                const int64_t* output_padding, int64_t groups, const int64_t* dilation) {
  SKD_TENSOR(up_sampling_conv_transpose2d(T(x), T(w), optional(b), ints(stride, 2), ints(padding, 2), ints(output_padding, 2),
                                           groups, ints(dilation, 2)))
}
skd_tensor skd_batch_norm(skd_tensor x, skd_tensor weight, skd_tensor bias, skd_tensor running_mean,
                          skd_tensor running_var, int32_t training, double momentum, double eps) {
  SKD_TENSOR(at::batch_norm(T(x), optional(weight), optional(bias), optional(running_mean), optional(running_var),
                            training != 0, momentum, eps, at::globalContext().userEnabledCuDNN()))
}
skd_tensor skd_group_norm(skd_tensor x, int64_t groups, skd_tensor weight, skd_tensor bias, double eps) {
  SKD_TENSOR(at::group_norm(T(x), groups, optional(weight), optional(bias), eps, at::globalContext().userEnabledCuDNN()))
}
skd_tensor skd_max_pool2d(skd_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                          const int64_t* dilation, int32_t ceil_mode) {
  SKD_TENSOR(at::max_pool2d(T(x), ints(kernel, 2), ints(stride, 2), ints(padding, 2), ints(dilation, 2), ceil_mode != 0))
}
skd_tensor skd_avg_pool2d(skd_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                          int32_t ceil_mode, int32_t count_include_pad) {
  SKD_TENSOR(at::avg_pool2d(T(x), ints(kernel, 2), ints(stride, 2), ints(padding, 2), ceil_mode != 0, count_include_pad != 0))
}
skd_tensor skd_adaptive_avg_pool2d(skd_tensor x, const int64_t* output_size) {
  SKD_TENSOR(at::adaptive_avg_pool2d(T(x), ints(output_size, 2)))
}
skd_tensor skd_interpolate(skd_tensor x, const int64_t* output_size, int32_t mode, int32_t align_corners,
                           double scale_h, double scale_w) {
  SKD_TENSOR(([&]() -> at::Tensor {
    compat::optional<double> sh = scale_h > 0 ? compat::optional<double>(scale_h) : compat::nullopt;
    compat::optional<double> sw = scale_w > 0 ? compat::optional<double>(scale_w) : compat::nullopt;
    switch (mode) {
      case SKD_INTERPOLATION_Nearest: return at::upsample_nearest2d(T(x), ints(output_size, 2), sh, sw);
      case SKD_INTERPOLATION_Bilinear: return at::upsample_bilinear2d(T(x), ints(output_size, 2), align_corners != 0, sh, sw);
      case SKD_INTERPOLATION_Bicubic: return at::upsample_bicubic2d(T(x), ints(output_size, 2), align_corners != 0, sh, sw);
      default: throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
    }
  })())
}
skd_tensor skd_softmax(skd_tensor x, int64_t dim, int32_t log) {
  SKD_TENSOR(log ? at::log_softmax(T(x), dim) : at::softmax(T(x), dim))
}
skd_tensor skd_cross_entropy(skd_tensor logits, skd_tensor target, skd_tensor weight, int32_t r, int64_t ignore_index,
                             double label_smoothing) {
  SKD_TENSOR(at::cross_entropy_loss(T(logits), T(target), optional(weight), reduction(r), ignore_index, label_smoothing))
}
skd_tensor skd_binary_cross_entropy(skd_tensor p, skd_tensor y, skd_tensor weight, int32_t r) {
  SKD_TENSOR(at::binary_cross_entropy(T(p), T(y), optional(weight), reduction(r)))
}
skd_tensor skd_bce_with_logits(skd_tensor x, skd_tensor y, skd_tensor weight, skd_tensor pos_weight, int32_t r) {
  SKD_TENSOR(at::binary_cross_entropy_with_logits(T(x), T(y), optional(weight), optional(pos_weight), reduction(r)))
}
skd_tensor skd_kl_div(skd_tensor input, skd_tensor target, int32_t r, int32_t log_target) {
  SKD_TENSOR(at::kl_div(T(input), T(target), reduction(r), log_target != 0))
}
skd_tensor skd_mse_loss(skd_tensor a, skd_tensor b, int32_t r) { SKD_TENSOR(at::mse_loss(T(a), T(b), reduction(r))) }
skd_tensor skd_dropout(skd_tensor x, double p, int32_t train, int32_t feature) {
  SKD_TENSOR(feature ? at::feature_dropout(T(x), p, train != 0) : at::dropout(T(x), p, train != 0))
}
skd_tensor skd_one_hot(skd_tensor t, int64_t k) { SKD_TENSOR(at::one_hot(T(t), k)) }
skd_tensor skd_affine_grid(skd_tensor theta, const int64_t* size, int32_t n, int32_t align_corners) {
  SKD_TENSOR(at::affine_grid_generator(T(theta), ints(size, n), align_corners != 0))
}
skd_tensor skd_grid_sample(skd_tensor x, skd_tensor grid, int32_t mode, int32_t padding_mode, int32_t align_corners) {
  SKD_TENSOR(at::grid_sampler(T(x), T(grid), mode, padding_mode, align_corners != 0))
}
skd_tensor skd_pad(skd_tensor x, const int64_t* pad, int32_t n, int32_t mode, double value) {
  SKD_TENSOR(([&]() -> at::Tensor {
    const char* name;
    switch (mode) {
      case SKD_PADDING_Constant: name = "constant"; break;
      case SKD_PADDING_Reflect: name = "reflect"; break;
      case SKD_PADDING_Replicate: name = "replicate"; break;
      default: throw std::invalid_argument("unknown padding mode " + std::to_string(mode));
    }
    return at::pad(T(x), ints(pad, n), name, mode == SKD_PADDING_Constant ? compat::optional<double>(value) : compat::nullopt);
  })())
}

}  // extern "C"
