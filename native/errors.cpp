// The error slot of skd_native (one per thread) and the classification of what a call threw into
// an skd_error_kind (skd_tables.h), so that the C# layer maps a kind to its exception type one to
// one. libtorch's typed exceptions (c10::OutOfMemoryError, IndexError, TypeError, ...) decide by
// their type. libtorch raises most argument checks (TORCH_CHECK), in 1.13 and 2.x alike, as a
// plain c10::Error: a shape or dtype mismatch, and the default CPU allocator's failure, have no type
// of their own; those alone are sorted by libtorch's wording, here, beside the catch.
#include "shim.h"

#include <cstring>
#include <regex>

namespace {

thread_local std::string g_error;
thread_local int32_t g_error_kind = SKD_ERROR_None;

// What the catch knew from the exception's type.
enum class Caught { Other, Index, Type, OutOfMemory };

// libtorch's wording of an untyped shape or dtype failure.
struct Wordings {
  std::regex shape{
      "size of tensor|must match the size|shape|[Ss]izes of tensors|Expected \\d+D|dimensional|expected input\\[.*to have|"
      "dimension out of range|invalid for input of size|cannot be multiplied|expected .* channels|not broadcastable|"
      "Expected .*size|must have the same number of dimensions|number of dims|Expected input batch_size|expand"};
  std::regex dtype{
      "scalar type|dtype|not implemented for '|can't be cast|should be the same|Expected object of scalar type|"
      "type \\(\\w+\\) and|expected .* type|Float but found|Long but found|only .* types are supported|"
      "must be (a )?(floating|integer|Long|Bool)"};
};

const Wordings& wordings() {
  static const Wordings compiled;
  return compiled;
}

// The default CPU allocator's untyped failure: "can't allocate memory" (1.13), "not enough memory" (2.x).
bool out_of_memory_wording(const char* message) {
  return std::strstr(message, "can't allocate memory") != nullptr || std::strstr(message, "not enough memory") != nullptr;
}

int32_t classify(Caught caught, const char* message) {
  if (caught == Caught::OutOfMemory || out_of_memory_wording(message)) return SKD_ERROR_OutOfMemory;
  bool shape = std::regex_search(message, wordings().shape);
  if (caught == Caught::Index && !shape) return SKD_ERROR_Index;  // an index, not a dimension, out of range
  if (caught == Caught::Type || std::regex_search(message, wordings().dtype)) return SKD_ERROR_Dtype;
  if (shape || caught == Caught::Index) return SKD_ERROR_Shape;
  return SKD_ERROR_Generic;
}

void store(Caught caught, const char* message) noexcept {
  try {
    skd::set_error(classify(caught, message), message);
  } catch (...) {  // the classification itself failed (no memory for the regex): keep the message
    skd::set_error(SKD_ERROR_Generic, message);
  }
}

}  // namespace

namespace skd {

void set_error(int32_t kind, const char* message) noexcept {
  try {
    g_error = message ? message : "unknown error";
  } catch (...) {
    g_error.clear();
  }
  g_error_kind = kind;
}

void record_error() noexcept {
  try {
    throw;
  } catch (const c10::OutOfMemoryError& e) {
    store(Caught::OutOfMemory, e.what_without_backtrace());
  } catch (const c10::IndexError& e) {
    store(Caught::Index, e.what_without_backtrace());
  } catch (const c10::TypeError& e) {
    store(Caught::Type, e.what_without_backtrace());
  } catch (const c10::Error& e) {  // ValueError, NotImplementedError, LinAlgError and the untyped TORCH_CHECK
    store(Caught::Other, e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    store(Caught::OutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    store(Caught::Other, e.what());
  } catch (...) {
    store(Caught::Other, "unknown C++ exception");
  }
}

}  // namespace skd

extern "C" {

const char* skd_last_error(void) { return g_error_kind == SKD_ERROR_None ? nullptr : g_error.c_str(); }
int32_t skd_last_error_kind(void) { return g_error_kind; }
void skd_clear_error(void) {
  g_error.clear();
  g_error_kind = SKD_ERROR_None;
}

}  // extern "C"
