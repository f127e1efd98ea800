// The C ABI over libtorch declared in skd_native.h. Every export catches every C++ exception
// and stores its message (without libtorch's C++ backtrace) in a thread-local slot.
#include "skd_native.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

thread_local std::string g_error;
thread_local int32_t g_error_kind = SKD_ERR_NONE;
std::atomic<int64_t> g_live{0};

void set_error(int32_t kind, const char* message) {
  g_error = message ? message : "unknown error";
  g_error_kind = kind;
}

#define SKD_CATCH(failure)                                                        \
  catch (const c10::IndexError& e) { set_error(SKD_ERR_INDEX, e.what_without_backtrace()); }  \
  catch (const c10::ValueError& e) { set_error(SKD_ERR_VALUE, e.what_without_backtrace()); }  \
  catch (const c10::TypeError& e) { set_error(SKD_ERR_TYPE, e.what_without_backtrace()); }    \
  catch (const c10::NotImplementedError& e) { set_error(SKD_ERR_NOT_IMPLEMENTED, e.what_without_backtrace()); } \
  catch (const c10::OutOfMemoryError& e) { set_error(SKD_ERR_OUT_OF_MEMORY, e.what_without_backtrace()); } \
  catch (const c10::Error& e) { set_error(SKD_ERR_GENERIC, e.what_without_backtrace()); }      \
  catch (const std::bad_alloc&) { set_error(SKD_ERR_OUT_OF_MEMORY, "out of memory"); }         \
  catch (const std::exception& e) { set_error(SKD_ERR_GENERIC, e.what()); }                     \
  catch (...) { set_error(SKD_ERR_GENERIC, "unknown C++ exception"); }                          \
  return failure;

// Wraps a tensor-valued expression into an owned handle, or NULL with the error set.
#define SKD_TENSOR(expr)                       \
  try { return wrap(expr); }                   \
  SKD_CATCH(nullptr)

// Runs a statement, returning 0 on success and -1 with the error set.
#define SKD_STATUS(stmt)                       \
  try { stmt; return 0; }                      \
  SKD_CATCH(-1)

// A handle is libtorch's own TensorImpl*, holding one reference (intrusive_ptr::release): no
// wrapper object is allocated per tensor. Arguments are borrowed without touching the
// reference count (Borrowed), and skd_free reclaims and drops the reference.
using ImplPtr = c10::intrusive_ptr<at::TensorImpl, at::UndefinedTensorImpl>;

inline skd_tensor wrap(at::Tensor t) {
  if (!t.defined()) throw std::logic_error("an operation returned an undefined tensor");
  g_live.fetch_add(1, std::memory_order_relaxed);
  return t.unsafeReleaseTensorImpl();
}

// An at::Tensor viewing a handle for the duration of one call; it gives the reference back
// instead of dropping it. Copies made from it (stored in autograd graphs, results) own their own.
struct Borrowed : at::Tensor {
  explicit Borrowed(skd_tensor t) : at::Tensor(ImplPtr::reclaim(static_cast<at::TensorImpl*>(t))) {}
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  ~Borrowed() { unsafeReleaseTensorImpl(); }
};

// Returned const, so that no Tensor&& (a move constructor, push_back, a by-value parameter) can
// steal the borrowed reference: whatever takes it copies it instead.
inline const Borrowed T(skd_tensor t) {
  if (!t) throw std::invalid_argument("a required tensor argument is null (disposed or missing)");
  return Borrowed(t);
}
inline at::Tensor opt(skd_tensor t) { return t ? at::Tensor(T(t)) : at::Tensor(); }
inline c10::optional<at::Tensor> optional(skd_tensor t) {
  return t ? c10::optional<at::Tensor>(at::Tensor(T(t))) : c10::nullopt;
}
inline at::IntArrayRef ints(const int64_t* p, int32_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }
inline at::ScalarType dtype(int32_t d) { return static_cast<at::ScalarType>(d); }
inline at::Device device(int32_t type, int32_t index) {
  return at::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}
inline at::TensorOptions options(int32_t d, int32_t type, int32_t index) {
  return at::TensorOptions().dtype(dtype(d)).device(device(type, index));
}
std::vector<at::Tensor> tensors(const skd_tensor* ts, int32_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) v.push_back(T(ts[i]));
  return v;
}
int32_t write_list(const std::vector<at::Tensor>& list, skd_tensor* out, int32_t capacity) {
  if (static_cast<int64_t>(list.size()) > capacity)
    throw std::length_error("result has " + std::to_string(list.size()) + " tensors, capacity " + std::to_string(capacity));
  for (size_t i = 0; i < list.size(); ++i) out[i] = wrap(list[i]);
  return static_cast<int32_t>(list.size());
}
at::Reduction::Reduction reduction(int32_t r) {
  switch (r) {
    case 0: return at::Reduction::None;
    case 1: return at::Reduction::Mean;
    case 2: return at::Reduction::Sum;
    default: throw std::invalid_argument("reduction must be 0 (none), 1 (mean) or 2 (sum)");
  }
}

// A scalar that keeps integer tensors integral (PyTorch's type promotion treats a Python int
// and a Python float differently: 2 * int_tensor stays int, 2.5 * int_tensor becomes float).
inline at::Scalar scalar(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 9.0e15) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

at::Tensor unary(int32_t op, const at::Tensor& a) {
  switch (op) {
    case SKD_NEG: return a.neg();
    case SKD_ABS: return a.abs();
    case SKD_EXP: return a.exp();
    case SKD_LOG: return a.log();
    case SKD_SQRT: return a.sqrt();
    case SKD_RSQRT: return a.rsqrt();
    case SKD_SIGMOID: return a.sigmoid();
    case SKD_TANH: return a.tanh();
    case SKD_RELU: return a.relu();
    case SKD_SIGN: return a.sign();
    case SKD_FLOOR: return a.floor();
    case SKD_CEIL: return a.ceil();
    case SKD_ROUND: return a.round();
    case SKD_LOG1P: return a.log1p();
    case SKD_EXPM1: return a.expm1();
    case SKD_SIN: return a.sin();
    case SKD_COS: return a.cos();
    case SKD_LOGICAL_NOT: return a.logical_not();
    case SKD_ISNAN: return a.isnan();
    case SKD_ISINF: return a.isinf();
    case SKD_ISFINITE: return a.isfinite();
    case SKD_RECIPROCAL: return a.reciprocal();
    case SKD_SQUARE: return a.square();
    case SKD_ERF: return a.erf();
    case SKD_SOFTPLUS: return at::softplus(a);
    case SKD_ZERO: return at::zeros_like(a);
    case SKD_LOG2: return a.log2();
    case SKD_TRUNC: return a.trunc();
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
}

void unary_(int32_t op, const at::Tensor& a) {
  switch (op) {
    case SKD_NEG: a.neg_(); return;
    case SKD_ABS: a.abs_(); return;
    case SKD_EXP: a.exp_(); return;
    case SKD_LOG: a.log_(); return;
    case SKD_SQRT: a.sqrt_(); return;
    case SKD_SIGMOID: a.sigmoid_(); return;
    case SKD_TANH: a.tanh_(); return;
    case SKD_RELU: a.relu_(); return;
    case SKD_FLOOR: a.floor_(); return;
    case SKD_CEIL: a.ceil_(); return;
    case SKD_ROUND: a.round_(); return;
    case SKD_RECIPROCAL: a.reciprocal_(); return;
    case SKD_SQUARE: a.square_(); return;
    case SKD_ZERO: a.zero_(); return;
    default: a.copy_(unary(op, a)); return;
  }
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b, double alpha) {
  switch (op) {
    case SKD_ADD: return alpha == 1.0 ? at::add(a, b) : at::add(a, b, scalar(alpha));
    case SKD_SUB: return alpha == 1.0 ? at::sub(a, b) : at::sub(a, b, scalar(alpha));
    case SKD_MUL: return at::mul(a, b);
    case SKD_DIV: return at::div(a, b);
    case SKD_POW: return at::pow(a, b);
    case SKD_MAXIMUM: return at::maximum(a, b);
    case SKD_MINIMUM: return at::minimum(a, b);
    case SKD_EQ: return at::eq(a, b);
    case SKD_NE: return at::ne(a, b);
    case SKD_LT: return at::lt(a, b);
    case SKD_LE: return at::le(a, b);
    case SKD_GT: return at::gt(a, b);
    case SKD_GE: return at::ge(a, b);
    case SKD_LOGICAL_AND: return at::logical_and(a, b);
    case SKD_LOGICAL_OR: return at::logical_or(a, b);
    case SKD_LOGICAL_XOR: return at::logical_xor(a, b);
    case SKD_REMAINDER: return at::remainder(a, b);
    case SKD_FLOOR_DIVIDE: return at::div(a, b, "floor");
    case SKD_ATAN2: return at::atan2(a, b);
    case SKD_RSUB: return at::sub(b, a, scalar(alpha));
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
    case SKD_POW: return at::pow(a, scalar(value));  // keeps pow's fast paths (square, sqrt, ...)
    case SKD_MAXIMUM: return at::clamp_min(a, scalar(value));
    case SKD_MINIMUM: return at::clamp_max(a, scalar(value));
    case SKD_RSUB: return at::sub(wrapped_number(value, a), a);
    case SKD_FLOOR_DIVIDE: return at::div(a, wrapped_number(value, a), "floor");
    default: return binary(op, a, wrapped_number(value, a), 1.0);
  }
}

void binary_(int32_t op, const at::Tensor& a, const at::Tensor& b, double alpha) {
  switch (op) {
    case SKD_ADD: a.add_(b, scalar(alpha)); return;
    case SKD_SUB: a.sub_(b, scalar(alpha)); return;
    case SKD_MUL: a.mul_(b); return;
    case SKD_DIV: a.div_(b); return;
    case SKD_POW: a.pow_(b); return;
    case SKD_COPY: a.copy_(b); return;
    default: a.copy_(binary(op, a, b, alpha)); return;
  }
}

void binary_scalar_(int32_t op, const at::Tensor& a, double value) {
  switch (op) {
    case SKD_POW: a.pow_(scalar(value)); return;
    case SKD_COPY: a.fill_(scalar(value)); return;
    default: binary_(op, a, wrapped_number(value, a), 1.0); return;
  }
}

at::Tensor reduce(int32_t op, const at::Tensor& t, at::IntArrayRef dims, bool keepdim) {
  bool all = dims.empty();
  switch (op) {
    case SKD_SUM: return all && !keepdim ? t.sum() : t.sum(dims, keepdim);
    case SKD_MEAN: return all && !keepdim ? t.mean() : t.mean(dims, keepdim);
    case SKD_NANSUM: return at::nansum(t, dims, keepdim);
    case SKD_AMAX: return t.amax(dims, keepdim);
    case SKD_AMIN: return t.amin(dims, keepdim);
    case SKD_STD: return all && !keepdim ? t.std() : at::std(t, c10::OptionalIntArrayRef(dims), 1, keepdim);
    case SKD_VAR: return all && !keepdim ? t.var() : at::var(t, c10::OptionalIntArrayRef(dims), 1, keepdim);
    case SKD_LOGSUMEXP: {
      std::vector<int64_t> d(dims.begin(), dims.end());
      if (all) for (int64_t i = 0; i < t.dim(); ++i) d.push_back(i);
      return at::logsumexp(t, d, keepdim);
    }
    case SKD_PROD:
      if (all) return t.prod();
      if (dims.size() != 1) throw std::invalid_argument("prod reduces over one dimension at a time");
      return t.prod(dims[0], keepdim);
    case SKD_ANY:
    case SKD_ALL: {
      at::Tensor r = t;
      if (all) return op == SKD_ANY ? t.any() : t.all();
      std::vector<int64_t> d(dims.begin(), dims.end());
      std::sort(d.rbegin(), d.rend());
      for (int64_t dim : d) r = op == SKD_ANY ? r.any(dim, keepdim) : r.all(dim, keepdim);
      return r;
    }
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
}

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

const char* skd_last_error(void) { return g_error_kind == SKD_ERR_NONE ? nullptr : g_error.c_str(); }
int32_t skd_last_error_kind(void) { return g_error_kind; }
void skd_clear_error(void) {
  g_error.clear();
  g_error_kind = SKD_ERR_NONE;
}

int32_t skd_torch_version(char* buffer, int32_t capacity) {
  const char* v = TORCH_VERSION;
  int32_t n = static_cast<int32_t>(std::strlen(v));
  if (buffer && capacity > n) std::memcpy(buffer, v, static_cast<size_t>(n) + 1);
  return n;
}
int32_t skd_cuda_is_available(void) {
  try { return torch::cuda::is_available() ? 1 : 0; } SKD_CATCH(0)
}
int32_t skd_cuda_device_count(void) {
  try { return static_cast<int32_t>(torch::cuda::device_count()); } SKD_CATCH(0)
}
void skd_set_num_threads(int32_t n) {
  try { at::set_num_threads(n); } catch (...) { set_error(SKD_ERR_GENERIC, "set_num_threads failed"); }
}
int32_t skd_get_num_threads(void) { return at::get_num_threads(); }
void skd_manual_seed(uint64_t seed) {
  try { at::manual_seed(seed); } catch (...) { set_error(SKD_ERR_GENERIC, "manual_seed failed"); }
}
int64_t skd_live_tensors(void) { return g_live.load(std::memory_order_relaxed); }

void skd_free(skd_tensor t) {
  if (!t) return;
  ImplPtr::reclaim(static_cast<at::TensorImpl*>(t));  // drops the handle's reference
  g_live.fetch_sub(1, std::memory_order_relaxed);
}

skd_tensor skd_from_data(const void* data, const int64_t* shape, int32_t ndim, int32_t d) {
  SKD_TENSOR(at::from_blob(const_cast<void*>(data), ints(shape, ndim), at::TensorOptions().dtype(dtype(d))).clone())
}

int32_t skd_copy_to_buffer(skd_tensor t, void* dst, int64_t nbytes) {
  SKD_STATUS({
    at::Tensor c = T(t).detach().to(at::kCPU).contiguous();
    int64_t need = c.numel() * static_cast<int64_t>(c.element_size());
    if (need != nbytes)
      throw std::length_error("buffer of " + std::to_string(nbytes) + " bytes for a tensor of " + std::to_string(need) + " bytes");
    if (need > 0) std::memcpy(dst, c.data_ptr(), static_cast<size_t>(need));
  })
}

void* skd_data_ptr(skd_tensor t) {
  try {
    const at::Tensor& x = T(t);
    if (!x.is_cpu() || !x.is_contiguous()) throw std::invalid_argument("data_ptr needs a contiguous CPU tensor");
    return x.data_ptr();
  }
  SKD_CATCH(nullptr)
}

skd_tensor skd_factory(int32_t kind, const int64_t* shape, int32_t ndim, int32_t d, int32_t dt, int32_t di,
                       double value, double low, double high) {
  SKD_TENSOR(([&]() -> at::Tensor {
    auto o = options(d, dt, di);
    auto s = ints(shape, ndim);
    switch (kind) {
      case 0: return at::empty(s, o);
      case 1: return at::zeros(s, o);
      case 2: return at::ones(s, o);
      case 3: return at::full(s, scalar(value), o);
      case 4: return at::rand(s, o);
      case 5: return at::randn(s, o);
      case 6: return at::randint(static_cast<int64_t>(low), static_cast<int64_t>(high), s, o);
      default: throw std::invalid_argument("unknown factory kind " + std::to_string(kind));
    }
  })())
}

skd_tensor skd_arange(double start, double end, double step, int32_t d, int32_t dt, int32_t di) {
  SKD_TENSOR(at::arange(scalar(start), scalar(end), scalar(step), options(d, dt, di)))
}

skd_tensor skd_like(int32_t kind, skd_tensor t, double value) {
  SKD_TENSOR(([&]() -> at::Tensor {
    const at::Tensor& x = T(t);
    switch (kind) {
      case 0: return at::empty_like(x);
      case 1: return at::zeros_like(x);
      case 2: return at::ones_like(x);
      case 3: return at::full_like(x, scalar(value));
      case 4: return at::rand_like(x);
      case 5: return at::randn_like(x);
      default: throw std::invalid_argument("unknown like kind " + std::to_string(kind));
    }
  })())
}

int32_t skd_dim(skd_tensor t) {
  try { return static_cast<int32_t>(T(t).dim()); } SKD_CATCH(-1)
}
int32_t skd_shape(skd_tensor t, int64_t* out) {
  try {
    auto s = T(t).sizes();
    for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
    return static_cast<int32_t>(s.size());
  }
  SKD_CATCH(-1)
}
int32_t skd_strides(skd_tensor t, int64_t* out) {
  try {
    auto s = T(t).strides();
    for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
    return static_cast<int32_t>(s.size());
  }
  SKD_CATCH(-1)
}
int32_t skd_dtype(skd_tensor t) {
  try { return static_cast<int32_t>(T(t).scalar_type()); } SKD_CATCH(-1)
}
int32_t skd_device_type(skd_tensor t) {
  try { return static_cast<int32_t>(T(t).device().type()); } SKD_CATCH(-1)
}
int32_t skd_device_index(skd_tensor t) {
  try { return static_cast<int32_t>(T(t).device().index()); } SKD_CATCH(-1)
}
int64_t skd_numel(skd_tensor t) {
  try { return T(t).numel(); } SKD_CATCH(-1)
}
int32_t skd_is_contiguous(skd_tensor t) {
  try { return T(t).is_contiguous() ? 1 : 0; } SKD_CATCH(-1)
}
double skd_item(skd_tensor t) {
  try { return T(t).item<double>(); } SKD_CATCH(0.0)
}

skd_tensor skd_to(skd_tensor t, int32_t d, int32_t dt, int32_t di, int32_t copy) {
  SKD_TENSOR(T(t).to(device(dt, di), dtype(d), false, copy != 0))
}
skd_tensor skd_clone(skd_tensor t) { SKD_TENSOR(T(t).clone()) }
skd_tensor skd_contiguous(skd_tensor t) { SKD_TENSOR(T(t).contiguous()) }
skd_tensor skd_alias(skd_tensor t) { SKD_TENSOR(T(t)) }

static at::MemoryFormat memory_format(int32_t format) {
  switch (format) {
    case 0: return at::MemoryFormat::Contiguous;
    case 1: return at::MemoryFormat::ChannelsLast;
    default: throw std::invalid_argument("unknown memory format code " + std::to_string(format));
  }
}
skd_tensor skd_contiguous_format(skd_tensor t, int32_t format) { SKD_TENSOR(T(t).contiguous(memory_format(format))) }
int32_t skd_is_contiguous_format(skd_tensor t, int32_t format) {
  try { return T(t).is_contiguous(memory_format(format)) ? 1 : 0; } SKD_CATCH(-1)
}

skd_tensor skd_view(skd_tensor t, const int64_t* s, int32_t n) { SKD_TENSOR(T(t).view(ints(s, n))) }
skd_tensor skd_reshape(skd_tensor t, const int64_t* s, int32_t n) { SKD_TENSOR(T(t).reshape(ints(s, n))) }
skd_tensor skd_permute(skd_tensor t, const int64_t* s, int32_t n) { SKD_TENSOR(T(t).permute(ints(s, n))) }
skd_tensor skd_transpose(skd_tensor t, int64_t a, int64_t b) { SKD_TENSOR(T(t).transpose(a, b)) }
skd_tensor skd_expand(skd_tensor t, const int64_t* s, int32_t n) { SKD_TENSOR(T(t).expand(ints(s, n))) }
skd_tensor skd_repeat(skd_tensor t, const int64_t* s, int32_t n) { SKD_TENSOR(T(t).repeat(ints(s, n))) }
skd_tensor skd_flatten(skd_tensor t, int64_t a, int64_t b) { SKD_TENSOR(T(t).flatten(a, b)) }
skd_tensor skd_squeeze(skd_tensor t, int64_t dim, int32_t all) { SKD_TENSOR(all ? T(t).squeeze() : T(t).squeeze(dim)) }
skd_tensor skd_unsqueeze(skd_tensor t, int64_t dim) { SKD_TENSOR(T(t).unsqueeze(dim)) }
skd_tensor skd_cat(const skd_tensor* ts, int32_t n, int64_t dim) { SKD_TENSOR(at::cat(tensors(ts, n), dim)) }
skd_tensor skd_stack(const skd_tensor* ts, int32_t n, int64_t dim) { SKD_TENSOR(at::stack(tensors(ts, n), dim)) }
int32_t skd_chunk(skd_tensor t, int64_t chunks, int64_t dim, skd_tensor* out, int32_t capacity) {
  try { return write_list(T(t).chunk(chunks, dim), out, capacity); } SKD_CATCH(-1)
}
int32_t skd_split(skd_tensor t, const int64_t* sizes, int32_t n, int64_t dim, skd_tensor* out, int32_t capacity) {
  try { return write_list(T(t).split_with_sizes(ints(sizes, n), dim), out, capacity); } SKD_CATCH(-1)
}
skd_tensor skd_narrow(skd_tensor t, int64_t dim, int64_t start, int64_t length) { SKD_TENSOR(T(t).narrow(dim, start, length)) }
skd_tensor skd_select(skd_tensor t, int64_t dim, int64_t index) { SKD_TENSOR(T(t).select(dim, index)) }
skd_tensor skd_slice(skd_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  SKD_TENSOR(T(t).slice(dim, start, end, step))
}
skd_tensor skd_index_select(skd_tensor t, int64_t dim, skd_tensor index) { SKD_TENSOR(T(t).index_select(dim, T(index))) }
skd_tensor skd_gather(skd_tensor t, int64_t dim, skd_tensor index) { SKD_TENSOR(T(t).gather(dim, T(index))) }
skd_tensor skd_scatter(skd_tensor t, int64_t dim, skd_tensor index, skd_tensor src) {
  SKD_TENSOR(T(t).scatter(dim, T(index), T(src)))
}
skd_tensor skd_masked_select(skd_tensor t, skd_tensor mask) { SKD_TENSOR(T(t).masked_select(T(mask))) }
skd_tensor skd_masked_fill(skd_tensor t, skd_tensor mask, double value) { SKD_TENSOR(T(t).masked_fill(T(mask), scalar(value))) }
skd_tensor skd_flip(skd_tensor t, const int64_t* dims, int32_t n) { SKD_TENSOR(T(t).flip(ints(dims, n))) }
skd_tensor skd_rot90(skd_tensor t, int64_t k, int64_t d0, int64_t d1) { SKD_TENSOR(T(t).rot90(k, {d0, d1})) }
skd_tensor skd_nonzero(skd_tensor t) { SKD_TENSOR(T(t).nonzero()) }

skd_tensor skd_unary(int32_t op, skd_tensor a) { SKD_TENSOR(unary(op, T(a))) }
int32_t skd_unary_(int32_t op, skd_tensor a) { SKD_STATUS(unary_(op, T(a))) }
skd_tensor skd_binary(int32_t op, skd_tensor a, skd_tensor b, double alpha) { SKD_TENSOR(binary(op, T(a), T(b), alpha)) }
skd_tensor skd_binary_scalar(int32_t op, skd_tensor a, double b) { SKD_TENSOR(binary_scalar(op, T(a), b)) }
int32_t skd_binary_(int32_t op, skd_tensor a, skd_tensor b, double alpha) { SKD_STATUS(binary_(op, T(a), T(b), alpha)) }
int32_t skd_binary_scalar_(int32_t op, skd_tensor a, double b) { SKD_STATUS(binary_scalar_(op, T(a), b)) }
skd_tensor skd_where(skd_tensor c, skd_tensor a, skd_tensor b) { SKD_TENSOR(at::where(T(c), T(a), T(b))) }
skd_tensor skd_clamp(skd_tensor a, double lo, double hi, int32_t has_lo, int32_t has_hi) {
  SKD_TENSOR(at::clamp(T(a), has_lo ? c10::optional<at::Scalar>(scalar(lo)) : c10::nullopt,
                       has_hi ? c10::optional<at::Scalar>(scalar(hi)) : c10::nullopt))
}
int32_t skd_clamp_(skd_tensor a, double lo, double hi, int32_t has_lo, int32_t has_hi) {
  SKD_STATUS(T(a).clamp_(has_lo ? c10::optional<at::Scalar>(scalar(lo)) : c10::nullopt,
                         has_hi ? c10::optional<at::Scalar>(scalar(hi)) : c10::nullopt))
}
int32_t skd_addcmul_(skd_tensor t, skd_tensor a, skd_tensor b, double v) { SKD_STATUS(T(t).addcmul_(T(a), T(b), v)) }
int32_t skd_addcdiv_(skd_tensor t, skd_tensor a, skd_tensor b, double v) { SKD_STATUS(T(t).addcdiv_(T(a), T(b), v)) }
int32_t skd_lerp_(skd_tensor t, skd_tensor end, double w) { SKD_STATUS(T(t).lerp_(T(end), w)) }
int32_t skd_init_(int32_t kind, skd_tensor t, double a, double b) {
  SKD_STATUS({
    at::NoGradGuard guard;
    switch (kind) {
      case 0: T(t).uniform_(a, b); break;
      case 1: T(t).normal_(a, b); break;
      case 2: T(t).fill_(scalar(a)); break;
      default: throw std::invalid_argument("unknown init kind " + std::to_string(kind));
    }
  })
}
skd_tensor skd_matmul(skd_tensor a, skd_tensor b) { SKD_TENSOR(at::matmul(T(a), T(b))) }
skd_tensor skd_linear(skd_tensor x, skd_tensor w, skd_tensor b) { SKD_TENSOR(at::linear(T(x), T(w), optional(b))) }
skd_tensor skd_leaky_relu(skd_tensor a, double slope) { SKD_TENSOR(at::leaky_relu(T(a), slope)) }
skd_tensor skd_pow_tensor_scalar_base(double base, skd_tensor e) { SKD_TENSOR(at::pow(scalar(base), T(e))) }

skd_tensor skd_reduce(int32_t op, skd_tensor t, const int64_t* dims, int32_t n, int32_t keepdim) {
  SKD_TENSOR(reduce(op, T(t), ints(dims, n), keepdim != 0))
}
int32_t skd_max_min_dim(skd_tensor t, int64_t dim, int32_t keepdim, int32_t is_max, skd_tensor* values, skd_tensor* indices) {
  SKD_STATUS({
    auto r = is_max ? T(t).max(dim, keepdim != 0) : T(t).min(dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
skd_tensor skd_argmax(skd_tensor t, int64_t dim, int32_t keepdim, int32_t is_max) {
  SKD_TENSOR(([&]() -> at::Tensor {
    c10::optional<int64_t> d = dim < -1000 ? c10::nullopt : c10::optional<int64_t>(dim);
    return is_max ? T(t).argmax(d, keepdim != 0) : T(t).argmin(d, keepdim != 0);
  })())
}
skd_tensor skd_norm(skd_tensor t, double p, const int64_t* dims, int32_t n, int32_t keepdim) {
  SKD_TENSOR(n == 0 ? at::norm(T(t), p) : at::norm(T(t), p, ints(dims, n), keepdim != 0))
}
int32_t skd_sort(skd_tensor t, int64_t dim, int32_t descending, skd_tensor* values, skd_tensor* indices) {
  SKD_STATUS({
    auto r = T(t).sort(dim, descending != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
skd_tensor skd_cumsum(skd_tensor t, int64_t dim) { SKD_TENSOR(T(t).cumsum(dim)) }

skd_tensor skd_conv2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride, const int64_t* padding,
                      const int64_t* dilation, int64_t groups) {
  SKD_TENSOR(at::conv2d(T(x), T(w), optional(b), ints(stride, 2), ints(padding, 2), ints(dilation, 2), groups))
}
skd_tensor skd_conv_transpose2d(skd_tensor x, skd_tensor w, skd_tensor b, const int64_t* stride, const int64_t* padding,
                                const int64_t* output_padding, int64_t groups, const int64_t* dilation) {
  SKD_TENSOR(at::conv_transpose2d(T(x), T(w), optional(b), ints(stride, 2), ints(padding, 2), ints(output_padding, 2),
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
    c10::optional<double> sh = scale_h > 0 ? c10::optional<double>(scale_h) : c10::nullopt;
    c10::optional<double> sw = scale_w > 0 ? c10::optional<double>(scale_w) : c10::nullopt;
    switch (mode) {
      case 0: return at::upsample_nearest2d(T(x), ints(output_size, 2), sh, sw);
      case 1: return at::upsample_bilinear2d(T(x), ints(output_size, 2), align_corners != 0, sh, sw);
      case 2: return at::upsample_bicubic2d(T(x), ints(output_size, 2), align_corners != 0, sh, sw);
      default: throw std::invalid_argument("interpolate mode must be 0 (nearest), 1 (bilinear) or 2 (bicubic)");
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
    static const char* modes[] = {"constant", "reflect", "replicate"};
    if (mode < 0 || mode > 2) throw std::invalid_argument("pad mode must be 0 (constant), 1 (reflect) or 2 (replicate)");
    return at::pad(T(x), ints(pad, n), modes[mode], mode == 0 ? c10::optional<double>(value) : c10::nullopt);
  })())
}

int32_t skd_requires_grad(skd_tensor t) {
  try { return T(t).requires_grad() ? 1 : 0; } SKD_CATCH(-1)
}
int32_t skd_set_requires_grad(skd_tensor t, int32_t flag) { SKD_STATUS(T(t).requires_grad_(flag != 0)) }
int32_t skd_backward(skd_tensor t, skd_tensor grad, int32_t retain_graph, int32_t create_graph) {
  SKD_STATUS(T(t).backward(opt(grad), retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0))
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
