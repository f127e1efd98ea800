// Internal to the shim (not part of the C ABI): how every export of skd_native.h turns C++
// exceptions into the error slot, borrows handles and converts arguments. One file per op family
// (skd_native.cpp: lifecycle, creation, metadata, shape; elementwise.cpp; reductions.cpp; nn.cpp;
// autograd.cpp; runtime.cpp; errors.cpp) includes it.
#ifndef SKD_SHIM_H
#define SKD_SHIM_H

#include "skd_native.h"
#include "torch_compat.h"

#include <ATen/ATen.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace skd {

// Stores the exception being handled in this thread's error slot, with its skd_error_kind
// (errors.cpp); called from inside a catch block.
void record_error() noexcept;
// Stores a message of the shim's own.
void set_error(int32_t kind, const char* message) noexcept;

// Handles alive (skd_live_tensors), counted by wrap and skd_free.
extern std::atomic<int64_t> g_live;

#define SKD_CATCH(failure)             \
  catch (...) { skd::record_error(); } \
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
inline compat::optional<at::Tensor> optional(skd_tensor t) {
  return t ? compat::optional<at::Tensor>(at::Tensor(T(t))) : compat::nullopt;
}
inline at::IntArrayRef ints(const int64_t* p, int32_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }
inline at::ScalarType dtype(int32_t d) { return static_cast<at::ScalarType>(d); }
inline at::Device device(int32_t type, int32_t index) {
  return at::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}
inline at::TensorOptions options(int32_t d, int32_t type, int32_t index) {
  return at::TensorOptions().dtype(dtype(d)).device(device(type, index));
}
inline std::vector<at::Tensor> tensors(const skd_tensor* ts, int32_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) v.push_back(T(ts[i]));
  return v;
}
inline int32_t write_list(const std::vector<at::Tensor>& list, skd_tensor* out, int32_t capacity) {
  if (static_cast<int64_t>(list.size()) > capacity)
    throw std::length_error("result has " + std::to_string(list.size()) + " tensors, capacity " + std::to_string(capacity));
  for (size_t i = 0; i < list.size(); ++i) out[i] = wrap(list[i]);
  return static_cast<int32_t>(list.size());
}
inline at::Reduction::Reduction reduction(int32_t r) {
  switch (r) {
    case SKD_REDUCTION_None: return at::Reduction::None;
    case SKD_REDUCTION_Mean: return at::Reduction::Mean;
    case SKD_REDUCTION_Sum: return at::Reduction::Sum;
    default: throw std::invalid_argument("unknown reduction " + std::to_string(r));
  }
}

// A scalar that keeps integer tensors integral (PyTorch's type promotion treats a Python int
// and a Python float differently: 2 * int_tensor stays int, 2.5 * int_tensor becomes float).
inline at::Scalar scalar(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 9.0e15) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

}  // namespace skd

#endif
