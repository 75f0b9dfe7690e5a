// Coverage feedback for libFuzzer from code compiled by g++ with -fsanitize-coverage=trace-pc.
//
// g++ calls __sanitizer_cov_trace_pc() at the start of every basic block; the libFuzzer of LLVM 14
// no longer accepts that callback (it aborts: "trace-pc is no longer supported"), but it does read
// "inline 8-bit counters" registered through __sanitizer_cov_8bit_counters_init. This file is the
// bridge: each block's return address is hashed into one counter of a fixed table that libFuzzer
// treats as one instrumented module. The comparison hooks g++ emits for trace-cmp
// (__sanitizer_cov_trace_cmp*, _switch) go to libFuzzer unchanged.
//
// The libFuzzer archive's own __sanitizer_cov_trace_pc is made weak at build time (objcopy) so that
// this definition wins. The libFuzzer entry points are weak references here, so the executables of
// an instrumented build that do not link libFuzzer (the server, the unit tests) still link and run.
// Not instrumented itself (no coverage, no sanitizers): it runs on every basic block.
#include <cstddef>
#include <cstdint>

extern "C" {
__attribute__((weak)) void __sanitizer_cov_8bit_counters_init(uint8_t* start, uint8_t* stop);
__attribute__((weak)) void __sanitizer_cov_pcs_init(const uintptr_t* start, const uintptr_t* stop);
}

namespace {

// 2^17 counters: few collisions for the code of a fuzz target, cheap for libFuzzer to scan.
constexpr int kBits = 17;
constexpr size_t kSlots = size_t{1} << kBits;

alignas(64) uint8_t g_counters[kSlots];
// libFuzzer wants one {pc, flags} entry per counter; the slot number stands in for the pc.
uintptr_t g_pcs[2 * kSlots];

__attribute__((constructor)) void RegisterWithLibFuzzer() {
  for (size_t i = 0; i < kSlots; ++i) g_pcs[2 * i] = i + 1;
  if (__sanitizer_cov_8bit_counters_init) __sanitizer_cov_8bit_counters_init(g_counters, g_counters + kSlots);
  if (__sanitizer_cov_pcs_init) __sanitizer_cov_pcs_init(g_pcs, g_pcs + 2 * kSlots);
}

}  // namespace

extern "C" __attribute__((no_sanitize("address", "undefined"), no_sanitize_coverage, hot)) void
__sanitizer_cov_trace_pc() {
  const auto pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  const uint64_t slot = (static_cast<uint64_t>(pc) * 0x9E3779B97F4A7C15ULL) >> (64 - kBits);
  g_counters[slot]++;
}

// g++'s trace-cmp also reports floating-point comparisons, which libFuzzer has no hook for.
extern "C" __attribute__((no_sanitize("address", "undefined"), no_sanitize_coverage)) void __sanitizer_cov_trace_cmpf(
    float, float) {}
extern "C" __attribute__((no_sanitize("address", "undefined"), no_sanitize_coverage)) void __sanitizer_cov_trace_cmpd(
    double, double) {}
