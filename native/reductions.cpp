// Reductions of skd_native.h: sum, mean, ... over dimensions, max/min with indices, argmax, norm, sort, cumsum.
#include "shim.h"

using namespace skd;

namespace {

at::Tensor reduce(int32_t op, const at::Tensor& t, at::IntArrayRef dims, bool keepdim) {
  bool all = dims.empty();
  switch (op) {
    case SKD_REDUCE_Sum: return all && !keepdim ? t.sum() : t.sum(dims, keepdim);
    case SKD_REDUCE_Mean: return all && !keepdim ? t.mean() : t.mean(dims, keepdim);
    case SKD_REDUCE_NanSum: return at::nansum(t, dims, keepdim);
    case SKD_REDUCE_Amax: return t.amax(dims, keepdim);
    case SKD_REDUCE_Amin: return t.amin(dims, keepdim);
    case SKD_REDUCE_Std: return all && !keepdim ? t.std() : at::std(t, c10::OptionalIntArrayRef(dims), 1, keepdim);
    case SKD_REDUCE_Var: return all && !keepdim ? t.var() : at::var(t, c10::OptionalIntArrayRef(dims), 1, keepdim);
    case SKD_REDUCE_LogSumExp: {
      std::vector<int64_t> d(dims.begin(), dims.end());
      if (all) for (int64_t i = 0; i < t.dim(); ++i) d.push_back(i);
      return at::logsumexp(t, d, keepdim);
    }
    case SKD_REDUCE_Prod:
      if (all) return t.prod();
      if (dims.size() != 1) throw std::invalid_argument("prod reduces over one dimension at a time");
      return t.prod(dims[0], keepdim);
    case SKD_REDUCE_Any:
    case SKD_REDUCE_All: {
      at::Tensor r = t;
      if (all) return op == SKD_REDUCE_Any ? t.any() : t.all();
      std::vector<int64_t> d(dims.begin(), dims.end());
      std::sort(d.rbegin(), d.rend());
      for (int64_t dim : d) r = op == SKD_REDUCE_Any ? r.any(dim, keepdim) : r.all(dim, keepdim);
      return r;
    }
    default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
}

}  // namespace

extern "C" {

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
    compat::optional<int64_t> d = dim < -1000 ? compat::nullopt : compat::optional<int64_t>(dim);
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

}  // extern "C"
