// The runtime of skd_native.h: libtorch version, CUDA devices, threads, seed, handles alive.
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>
#include <cstring>

using namespace skd;

extern "C" {

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
  try { at::set_num_threads(n); } catch (...) { skd::set_error(SKD_ERROR_Generic, "set_num_threads failed"); }
}
int32_t skd_get_num_threads(void) { return at::get_num_threads(); }
void skd_manual_seed(uint64_t seed) {
  try { at::manual_seed(seed); } catch (...) { skd::set_error(SKD_ERROR_Generic, "manual_seed failed"); }
}
int64_t skd_live_tensors(void) { return g_live.load(std::memory_order_relaxed); }

}  // extern "C"
