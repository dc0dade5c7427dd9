// FULLY_CONNECTED host benchmarks (reference kernels): the keyword model's layers
// (64 -> 16, 32 -> 2), a larger int8 layer, 16x8 and float.
#include <benchmark/benchmark.h>

#include "bench/host_kernels/bench_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::bench {
namespace {

using namespace ember::kernels;  // NOLINT: Register* functions

using RegFn = EmberRegistration (*)();

void BM_FullyConnectedS8(benchmark::State& state, RegFn reg) {
  const int32_t in = static_cast<int32_t>(state.range(0));
  const int32_t out = static_cast<int32_t>(state.range(1));
  const EmberFullyConnectedParams p{kEmberActNone, 0, 0};
  BenchTensor w = RandomTensor(kEmberInt8, {out, in}, 2, 0.006f, 0);
  w.is_constant = true;
  BenchTensor bias = RandomTensor(kEmberInt32, {out}, 3);
  bias.is_constant = true;
  KernelBench kb(reg(), &p,
                 {RandomTensor(kEmberInt8, {1, in}, 1, 0.2f, -128), w, bias},
                 {RandomTensor(kEmberInt8, {1, out}, 4, 0.4f, -7)});
  RunKernelBench(state, kb, out);
}
BENCHMARK_CAPTURE(BM_FullyConnectedS8, reference, &RegisterFullyConnected)
    ->Args({64, 16})->Args({32, 2})->Args({1024, 256});
BENCHMARK_CAPTURE(BM_FullyConnectedS8, dsp_portable, &RegisterFullyConnectedDsp)
    ->Args({64, 16})->Args({32, 2})->Args({1024, 256});

void BM_FullyConnectedS16x8(benchmark::State& state) {
  const int32_t in = static_cast<int32_t>(state.range(0));
  const int32_t out = static_cast<int32_t>(state.range(1));
  const EmberFullyConnectedParams p{kEmberActNone, 0, 0};
  BenchTensor w = RandomTensor(kEmberInt8, {out, in}, 2, 0.006f, 0);
  w.is_constant = true;
  BenchTensor bias = RandomTensor(kEmberInt64, {out}, 3);
  bias.is_constant = true;
  KernelBench kb(RegisterFullyConnected(), &p,
                 {RandomTensor(kEmberInt16, {1, in}, 1, 0.001f, 0), w, bias},
                 {RandomTensor(kEmberInt16, {1, out}, 4, 0.002f, 0)});
  RunKernelBench(state, kb, out);
}
BENCHMARK(BM_FullyConnectedS16x8)->Args({1024, 256});

void BM_FullyConnectedFloat(benchmark::State& state) {
  const int32_t in = static_cast<int32_t>(state.range(0));
  const int32_t out = static_cast<int32_t>(state.range(1));
  const EmberFullyConnectedParams p{kEmberActRelu, 0, 0};
  BenchTensor w = RandomTensor(kEmberFloat32, {out, in}, 2);
  w.is_constant = true;
  KernelBench kb(RegisterFullyConnected(), &p, {RandomTensor(kEmberFloat32, {1, in}, 1), w},
                 {RandomTensor(kEmberFloat32, {1, out}, 4)});
  RunKernelBench(state, kb, out);
}
BENCHMARK(BM_FullyConnectedFloat)->Args({16, 16})->Args({1024, 256});

}  // namespace
}  // namespace ember::bench
