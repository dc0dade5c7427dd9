// Shared helper for the kernel benchmarks: prepares a KernelBench, runs invoke in the
// benchmark loop, and reports MAC/s (when the kernel counts MACs) and elements/s.
#ifndef EMBER_BENCH_HOST_KERNELS_BENCH_UTIL_H_
#define EMBER_BENCH_HOST_KERNELS_BENCH_UTIL_H_

#include <benchmark/benchmark.h>

#include "bench/host_kernels/kernel_bench_harness.h"

namespace ember::bench {

inline void RunKernelBench(benchmark::State& state, KernelBench& k, int64_t output_elements) {
  if (!k.Prepare()) {
    state.SkipWithError(k.error().c_str());
    return;
  }
  for (auto _ : state) {
    if (k.Invoke() != kEmberOk) {
      state.SkipWithError("invoke failed");
      return;
    }
    benchmark::ClobberMemory();
  }
  const uint64_t macs = k.macs();
  if (macs > 0) {
    state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(macs),
                                                 benchmark::Counter::kIsIterationInvariantRate);
  }
  state.SetItemsProcessed(state.iterations() * output_elements);
}

}  // namespace ember::bench

#endif  // EMBER_BENCH_HOST_KERNELS_BENCH_UTIL_H_
