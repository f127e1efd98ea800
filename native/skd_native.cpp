// The C ABI over libtorch declared in skd_native.h, the tensors themselves: lifecycle, creation,
// metadata, conversion and shape ops. The other op families have a file each (see shim.h); every
// export catches every C++ exception and leaves it in the error slot (errors.cpp).
#include "shim.h"

#include <cstring>

using namespace skd;

std::atomic<int64_t> skd::g_live{0};

extern "C" {

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
      case SKD_FACTORY_Empty: return at::empty(s, o);
      case SKD_FACTORY_Zeros: return at::zeros(s, o);
      case SKD_FACTORY_Ones: return at::ones(s, o);
      case SKD_FACTORY_Full: return at::full(s, scalar(value), o);
      case SKD_FACTORY_Rand: return at::rand(s, o);
      case SKD_FACTORY_Randn: return at::randn(s, o);
      case SKD_FACTORY_RandInt: return at::randint(static_cast<int64_t>(low), static_cast<int64_t>(high), s, o);
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
      case SKD_FACTORY_Empty: return at::empty_like(x);
      case SKD_FACTORY_Zeros: return at::zeros_like(x);
      case SKD_FACTORY_Ones: return at::ones_like(x);
      case SKD_FACTORY_Full: return at::full_like(x, scalar(value));
      case SKD_FACTORY_Rand: return at::rand_like(x);
      case SKD_FACTORY_Randn: return at::randn_like(x);
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
    case SKD_MEMORY_FORMAT_Contiguous: return at::MemoryFormat::Contiguous;
    case SKD_MEMORY_FORMAT_ChannelsLast: return at::MemoryFormat::ChannelsLast;
    default: throw std::invalid_argument("unknown memory format " + std::to_string(format));
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

}  // extern "C"
