// What differs between the libtorch versions the shim builds against: Debian's 1.13 and
// pytorch.org's 2.x (CPU or CUDA). Each difference is guarded by the version libtorch declares in
// <torch/version.h>; the rest of the shim uses the names below.
#ifndef SKD_TORCH_COMPAT_H
#define SKD_TORCH_COMPAT_H

#include <torch/version.h>

#define SKD_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

// c10::optional, the optional argument type of ATen's API, is c10's own class up to 2.1 and an
// alias of std::optional from 2.2 on (pytorch commit 165f4f6, Nov 2023), deprecated since
// Dec 2024 (removed with -DC10_NODEPRECATED).
#if SKD_TORCH_AT_LEAST(2, 2)
#include <optional>
#define SKD_OPTIONAL_NAMESPACE std
#else
#include <c10/util/Optional.h>
#define SKD_OPTIONAL_NAMESPACE c10
#endif
namespace skd::compat {
template <class T>
using optional = SKD_OPTIONAL_NAMESPACE::optional<T>;
inline constexpr SKD_OPTIONAL_NAMESPACE::nullopt_t nullopt = SKD_OPTIONAL_NAMESPACE::nullopt;
}  // namespace skd::compat

// c10::Allocator::allocate is const up to 2.2 and non-const from 2.3 on (pytorch PR 120969);
// 2.3 also makes copy_data a pure virtual member every allocator implements.
#if SKD_TORCH_AT_LEAST(2, 3)
#define SKD_ALLOCATE_CONST
#else
#define SKD_ALLOCATE_CONST const
#endif

#endif
