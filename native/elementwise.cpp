// Elementwise ops of skd_native.h: unary, binary (tensor and scalar operands, in place or not), where, clamp, the optimiser updates, init, matmul, linear.
#include "shim.h"

using namespace skd;

namespace {

at::Tensor unary(int32_t op, const at::Tensor& a) {
  switch (op) {
    case SKD_UNARY_Neg: return a.neg();
    case SKD_UNARY_Abs: return a.abs();
    case SKD_UNARY_Exp: return a.exp();
    case SKD_UNARY_Log: return a.log();
    case SKD_UNARY_Sqrt: return a.sqrt();
    case SKD_UNARY_Rsqrt: return a.rsqrt();
    case SKD_UNARY_Sigmoid: return a.sigmoid();
    case SKD_UNARY_Tanh: return a.tanh();
    case SKD_UNARY_Relu: return a.relu();
    case SKD_UNARY_Sign: return a.sign();
    case SKD_UNARY_Floor: return a.floor();
    case SKD_UNARY_Ceil: return a.ceil();
    case SKD_UNARY_Round: return a.round();
    case SKD_UNARY_Log1p: return a.log1p();
    case SKD_UNARY_Expm1: return a.expm1();
    case SKD_UNARY_Sin: return a.sin();
    case SKD_UNARY_Cos: return a.cos();
    case SKD_UNARY_LogicalNot: return a.logical_not();
    case SKD_UNARY_IsNan: return a.isnan();
    case SKD_UNARY_IsInf: return a.isinf();
    case SKD_UNARY_IsFinite: return a.isfinite();
    case SKD_UNARY_Reciprocal: return a.reciprocal();
    case SKD_UNARY_Square: return a.square();
    case SKD_UNARY_Erf: return a.erf();
    case SKD_UNARY_Softplus: return at::softplus(a);
    case SKD_UNARY_Zero: return at::zeros_like(a);
    case SKD_UNARY_Log2: return a.log2();
    case SKD_UNARY_Trunc: return a.trunc();
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
}

void unary_(int32_t op, const at::Tensor& a) {
  switch (op) {
    case SKD_UNARY_Neg: a.neg_(); return;
    case SKD_UNARY_Abs: a.abs_(); return;
    case SKD_UNARY_Exp: a.exp_(); return;
    case SKD_UNARY_Log: a.log_(); return;
    case SKD_UNARY_Sqrt: a.sqrt_(); return;
    case SKD_UNARY_Sigmoid: a.sigmoid_(); return;
    case SKD_UNARY_Tanh: a.tanh_(); return;
    case SKD_UNARY_Relu: a.relu_(); return;
    case SKD_UNARY_Floor: a.floor_(); return;
    case SKD_UNARY_Ceil: a.ceil_(); return;
    case SKD_UNARY_Round: a.round_(); return;
    case SKD_UNARY_Reciprocal: a.reciprocal_(); return;
    case SKD_UNARY_Square: a.square_(); return;
    case SKD_UNARY_Zero: a.zero_(); return;
    default: a.copy_(unary(op, a)); return;
  }
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b, double alpha) {
  switch (op) {
    case SKD_BINARY_Add: return alpha == 1.0 ? at::add(a, b) : at::add(a, b, scalar(alpha));
    case SKD_BINARY_Sub: return alpha == 1.0 ? at::sub(a, b) : at::sub(a, b, scalar(alpha));
    case SKD_BINARY_Mul: return at::mul(a, b);
    case SKD_BINARY_Div: return at::div(a, b);
    case SKD_BINARY_Pow: return at::pow(a, b);
    case SKD_BINARY_Maximum: return at::maximum(a, b);
    case SKD_BINARY_Minimum: return at::minimum(a, b);
    case SKD_BINARY_Eq: return at::eq(a, b);
    case SKD_BINARY_Ne: return at::ne(a, b);
    case SKD_BINARY_Lt: return at::lt(a, b);
    case SKD_BINARY_Le: return at::le(a, b);
    case SKD_BINARY_Gt: return at::gt(a, b);
    case SKD_BINARY_Ge: return at::ge(a, b);
    case SKD_BINARY_LogicalAnd: return at::logical_and(a, b);
    case SKD_BINARY_LogicalOr: return at::logical_or(a, b);
    case SKD_BINARY_LogicalXor: return at::logical_xor(a, b);
    case SKD_BINARY_Remainder: return at::remainder(a, b);
    case SKD_BINARY_FloorDivide: return at::div(a, b, "floor");
    case SKD_BINARY_Atan2: return at::atan2(a, b);
    case SKD_BINARY_RSub: return at::sub(b, a, scalar(alpha));
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
}

// A Python number as PyTorch's arg parser makes it: a 0-dim CPU tensor flagged as a "wrapped
// number", so type promotion treats it like a Python scalar (2 keeps an int tensor integral; 2.5
// makes it floating). It is made in the other operand's dtype where that changes nothing (float32
// and float64 kernels read the scalar in that dtype anyway; int64 holds any integral value we
// pass): TensorIterator then skips a dtype conversion, which makes a small op 2-3x faster than
// libtorch's Tensor-Scalar overloads or PyTorch's own Python path.
inline at::Tensor wrapped_number(double v, const at::Tensor& other) {
  bool integral = v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 9.0e15;
  at::ScalarType t = other.scalar_type();
  at::Tensor w;
  if (t == at::kFloat || t == at::kDouble) w = at::scalar_tensor(v, t);
  else if (integral) w = at::scalar_tensor(static_cast<int64_t>(v), at::kLong);
  else w = at::scalar_tensor(v, at::kDouble);
  w.unsafeGetTensorImpl()->set_wrapped_number(true);
  return w;
}

at::Tensor binary_scalar(int32_t op, const at::Tensor& a, double value) {
  switch (op) {
    case SKD_BINARY_Pow: return at::pow(a, scalar(value));  // keeps pow's fast paths (square, sqrt, ...)
    case SKD_BINARY_Maximum: return at::clamp_min(a, scalar(value));
    case SKD_BINARY_Minimum: return at::clamp_max(a, scalar(value));
    case SKD_BINARY_RSub: return at::sub(wrapped_number(value, a), a);
    case SKD_BINARY_FloorDivide: return at::div(a, wrapped_number(value, a), "floor");
    default: return binary(op, a, wrapped_number(value, a), 1.0);
  }
}

void binary_(int32_t op, const at::Tensor& a, const at::Tensor& b, double alpha) {
  switch (op) {
    case SKD_BINARY_Add: a.add_(b, scalar(alpha)); return;
    case SKD_BINARY_Sub: a.sub_(b, scalar(alpha)); return;
    case SKD_BINARY_Mul: a.mul_(b); return;
    case SKD_BINARY_Div: a.div_(b); return;
    case SKD_BINARY_Pow: a.pow_(b); return;
    case SKD_BINARY_Copy: a.copy_(b); return;
    default: a.copy_(binary(op, a, b, alpha)); return;
  }
}

void binary_scalar_(int32_t op, const at::Tensor& a, double value) {
  switch (op) {
    case SKD_BINARY_Pow: a.pow_(scalar(value)); return;
    case SKD_BINARY_Copy: a.fill_(scalar(value)); return;
    default: binary_(op, a, wrapped_number(value, a), 1.0); return;
  }
}

}  // namespace

extern "C" {

skd_tensor skd_unary(int32_t op, skd_tensor a) { SKD_TENSOR(unary(op, T(a))) }
int32_t skd_unary_(int32_t op, skd_tensor a) { SKD_STATUS(unary_(op, T(a))) }
skd_tensor skd_binary(int32_t op, skd_tensor a, skd_tensor b, double alpha) { SKD_TENSOR(binary(op, T(a), T(b), alpha)) }
skd_tensor skd_binary_scalar(int32_t op, skd_tensor a, double b) { SKD_TENSOR(binary_scalar(op, T(a), b)) }
int32_t skd_binary_(int32_t op, skd_tensor a, skd_tensor b, double alpha) { SKD_STATUS(binary_(op, T(a), T(b), alpha)) }
int32_t skd_binary_scalar_(int32_t op, skd_tensor a, double b) { SKD_STATUS(binary_scalar_(op, T(a), b)) }
skd_tensor skd_where(skd_tensor c, skd_tensor a, skd_tensor b) { SKD_TENSOR(at::where(T(c), T(a), T(b))) }
skd_tensor skd_clamp(skd_tensor a, double lo, double hi, int32_t has_lo, int32_t has_hi) {
  SKD_TENSOR(at::clamp(T(a), has_lo ? compat::optional<at::Scalar>(scalar(lo)) : compat::nullopt,
                       has_hi ? compat::optional<at::Scalar>(scalar(hi)) : compat::nullopt))
}
int32_t skd_clamp_(skd_tensor a, double lo, double hi, int32_t has_lo, int32_t has_hi) {
  SKD_STATUS(T(a).clamp_(has_lo ? compat::optional<at::Scalar>(scalar(lo)) : compat::nullopt,
                         has_hi ? compat::optional<at::Scalar>(scalar(hi)) : compat::nullopt))
}
int32_t skd_addcmul_(skd_tensor t, skd_tensor a, skd_tensor b, double v) { SKD_STATUS(T(t).addcmul_(T(a), T(b), v)) }
int32_t skd_addcdiv_(skd_tensor t, skd_tensor a, skd_tensor b, double v) { SKD_STATUS(T(t).addcdiv_(T(a), T(b), v)) }
int32_t skd_lerp_(skd_tensor t, skd_tensor end, double w) { SKD_STATUS(T(t).lerp_(T(end), w)) }
int32_t skd_init_(int32_t kind, skd_tensor t, double a, double b) {
  SKD_STATUS({
    at::NoGradGuard guard;
    switch (kind) {
      case SKD_INIT_Uniform: T(t).uniform_(a, b); break;
      case SKD_INIT_Normal: T(t).normal_(a, b); break;
      case SKD_INIT_Fill: T(t).fill_(scalar(a)); break;
      default: throw std::invalid_argument("unknown init kind " + std::to_string(kind));
    }
  })
}
skd_tensor skd_matmul(skd_tensor a, skd_tensor b) { SKD_TENSOR(at::matmul(T(a), T(b))) }
skd_tensor skd_linear(skd_tensor x, skd_tensor w, skd_tensor b) { SKD_TENSOR(at::linear(T(x), T(w), optional(b))) }
skd_tensor skd_leaky_relu(skd_tensor a, double slope) { SKD_TENSOR(at::leaky_relu(T(a), slope)) }
skd_tensor skd_pow_tensor_scalar_base(double base, skd_tensor e) { SKD_TENSOR(at::pow(scalar(base), T(e))) }

}  // extern "C"
