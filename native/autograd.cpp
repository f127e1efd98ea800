// Autograd of skd_native.h: requires_grad, backward, grads, grad mode, gradient reversal.
#include "shim.h"

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/grad_mode.h>

using namespace skd;

namespace {

// Gradient reversal (Ganin & Lempitsky, ICML 2015): y = x forward, dL/dx = -lambda * dL/dy.
struct GradientReversal : public torch::autograd::Function<GradientReversal> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, double lambda) {
    ctx->saved_data["lambda"] = lambda;
    return x.clone();
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_outputs) {
    double lambda = ctx->saved_data["lambda"].toDouble();
    return {grad_outputs[0] * (-lambda), at::Tensor()};
  }
};

}  // namespace

extern "C" {

int32_t skd_requires_grad(skd_tensor t) {
  try { return T(t).requires_grad() ? 1 : 0; } SKD_CATCH(-1)
}
int32_t skd_set_requires_grad(skd_tensor t, int32_t flag) { SKD_STATUS(T(t).requires_grad_(flag != 0)) }
int32_t skd_backward(skd_tensor t, skd_tensor grad, int32_t retain_graph, int32_t create_graph) {
  SKD_STATUS(T(t).backward(opt(grad), retain_graph ? compat::optional<bool>(true) : compat::nullopt, create_graph != 0))
}
skd_tensor skd_grad(skd_tensor t) {
  try {
    const at::Tensor& g = T(t).grad();
    return g.defined() ? wrap(g) : nullptr;
  }
  SKD_CATCH(nullptr)
}
int32_t skd_set_grad(skd_tensor t, skd_tensor grad) { SKD_STATUS(T(t).mutable_grad() = opt(grad)) }
skd_tensor skd_autograd_grad(skd_tensor output, skd_tensor input, int32_t retain_graph) {
  try {
    auto grads = torch::autograd::grad({at::Tensor(T(output))}, {at::Tensor(T(input))}, {}, retain_graph != 0, false, true);
    return grads[0].defined() ? wrap(grads[0]) : nullptr;
  }
  SKD_CATCH(nullptr)
}
int32_t skd_is_leaf(skd_tensor t) {
  try { return T(t).is_leaf() ? 1 : 0; } SKD_CATCH(-1)
}
skd_tensor skd_detach(skd_tensor t) { SKD_TENSOR(T(t).detach()) }
int32_t skd_grad_enabled(void) { return at::GradMode::is_enabled() ? 1 : 0; }
void skd_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }
skd_tensor skd_gradient_reversal(skd_tensor x, double lambda) {
  // Function::apply tracks arguments whose type is exactly at::Tensor: pass a plain reference.
  SKD_TENSOR(GradientReversal::apply(at::Tensor(T(x)), lambda))
}


}  // extern "C"
