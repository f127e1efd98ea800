// The floor under any binding: libtorch's own cost for the per-call benchmark's op, called from
// C++ (10,000 adds of two 4-element float32 tensors, median of 7 runs). bench/run.sh builds and
// runs it, so that each binding's overhead above libtorch itself can be reported.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  at::set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
  at::manual_seed(0);
  at::Tensor a = at::rand({4}), b = at::rand({4});
  std::vector<double> times;
  for (int r = 0; r < 8; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10000; ++i) {
      at::Tensor c = at::add(a, b);
    }
    std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    if (r > 0) times.push_back(elapsed.count() / 10000);  // the first run warms up
  }
  std::sort(times.begin(), times.end());
  std::printf("{\"impl\": \"libtorch C++\", \"add_us\": %.4f}\n", times[times.size() / 2]);
  return 0;
}
