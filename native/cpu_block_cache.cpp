// A caching CPU allocator for libtorch's large blocks (see skd_native.h, skd_cpu_cache_*).
//
// A training step frees and re-allocates the same large buffers (activations, gradients) every
// iteration. glibc returns such memory to the OS and takes it back at the next step, page-faulting
// fresh zeroed pages each time: on a small conv net that tripled the time of a step. Like
// PyTorch's CUDA caching allocator, this one keeps freed blocks of 1 MiB and more by exact size
// and hands them out again; smaller blocks go to libtorch's own allocator untouched. At most
// `limit` bytes are kept idle (default 1 GiB; SKD_CPU_CACHE_MB sets it, 0 disables the cache).
#include "torch_compat.h"

#include <c10/core/Allocator.h>
#include <c10/util/Exception.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr size_t kMinCached = 1 << 20;
constexpr size_t kHeader = 64;  // keeps the data 64-byte aligned, as libtorch's own allocator does

// Every block carries its size in a header just before the data, so that the data pointer alone
// frees it: libtorch's raw_allocate/raw_deallocate (used by oneDNN) require data == context.
inline size_t& size_of(void* data) { return *reinterpret_cast<size_t*>(static_cast<char*>(data) - kHeader); }

class CpuBlockCache final : public c10::Allocator {
 public:
  explicit CpuBlockCache(size_t limit) : limit_(limit) {}

  c10::DataPtr allocate(size_t n) SKD_ALLOCATE_CONST override {
    void* data = n >= kMinCached ? take_cached(n) : nullptr;
    if (!data) data = fresh(n);
    return {data, data, &CpuBlockCache::release, c10::Device(c10::DeviceType::CPU)};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &CpuBlockCache::release; }

#if SKD_TORCH_AT_LEAST(2, 3)
  void copy_data(void* dest, const void* src, size_t count) const override { std::memcpy(dest, src, count); }
#endif

  size_t idle_bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return idle_;
  }

  void empty() const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& entry : free_)
      for (void* data : entry.second) destroy(data);
    free_.clear();
    idle_ = 0;
  }

  static CpuBlockCache* instance;

 private:
  void* take_cached(size_t n) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(n);
    if (it == free_.end() || it->second.empty()) return nullptr;
    void* data = it->second.back();
    it->second.pop_back();
    idle_ -= n;
    return data;
  }

  void* fresh(size_t n) const {
    size_t bytes = kHeader + (n + kHeader - 1) / kHeader * kHeader;
    void* base = std::aligned_alloc(kHeader, bytes);
    if (!base) {
      empty();  // give idle blocks back to the system, then try once more
      base = std::aligned_alloc(kHeader, bytes);
    }
    if (!base) throw c10::OutOfMemoryError(c10::SourceLocation{__func__, __FILE__, __LINE__},
                                           "DefaultCPUAllocator: can't allocate memory: you tried to allocate " + std::to_string(n) + " bytes");
    void* data = static_cast<char*>(base) + kHeader;
    size_of(data) = n;
    return data;
  }

  static void release(void* data) {
    if (!data) return;
    size_t n = size_of(data);
    CpuBlockCache* self = instance;
    if (n >= kMinCached) {
      std::lock_guard<std::mutex> lock(self->mutex_);
      if (self->idle_ + n <= self->limit_) {
        self->free_[n].push_back(data);
        self->idle_ += n;
        return;
      }
    }
    destroy(data);
  }

  static void destroy(void* data) { std::free(static_cast<char*>(data) - kHeader); }

  size_t limit_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<size_t, std::vector<void*>> free_;
  mutable size_t idle_ = 0;
};

CpuBlockCache* CpuBlockCache::instance = nullptr;

// Installed when the library loads, before this process makes a tensor through it, so that every
// block it frees is one it made. Blocks of 1 MiB and more are cached; at most `limit` bytes idle.
__attribute__((constructor)) void install_cpu_block_cache() {
  size_t limit_mb = 1024;
  if (const char* v = std::getenv("SKD_CPU_CACHE_MB")) limit_mb = std::strtoull(v, nullptr, 10);
  if (limit_mb == 0) return;
  CpuBlockCache::instance = new CpuBlockCache(limit_mb << 20);
  c10::SetAllocator(c10::DeviceType::CPU, CpuBlockCache::instance, /*priority=*/1);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int64_t skd_cpu_cache_idle_bytes(void) {
  return CpuBlockCache::instance ? static_cast<int64_t>(CpuBlockCache::instance->idle_bytes()) : -1;
}

extern "C" __attribute__((visibility("default"))) void skd_cpu_cache_empty(void) {
  if (CpuBlockCache::instance) CpuBlockCache::instance->empty();
}
