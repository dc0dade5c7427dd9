// AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX, QUANTIZE host benchmarks (reference kernels).
#include <benchmark/benchmark.h>

#include "bench/host_kernels/bench_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::bench {
namespace {

using namespace ember::kernels;  // NOLINT: Register* functions

void BM_AveragePool2dS8(benchmark::State& state) {
  // VWW's final pool (3x3x256 -> 1x1x256, VALID 3x3 stride 2) and a 24x24x32 2x2 pool.
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t c = static_cast<int32_t>(state.range(1));
  const int32_t f = static_cast<int32_t>(state.range(2));
  const int32_t oh = (h - f + 2) / 2;
  const EmberPoolParams p{kEmberPaddingValid, 2, 2, f, f, kEmberActNone};
  KernelBench kb(RegisterAveragePool2d(), &p,
                 {RandomTensor(kEmberInt8, {1, h, h, c}, 1, 0.02f, -128)},
                 {RandomTensor(kEmberInt8, {1, oh, oh, c}, 4, 0.02f, -128)});
  RunKernelBench(state, kb, int64_t{oh} * oh * c);
}
BENCHMARK(BM_AveragePool2dS8)->Args({3, 256, 3})->Args({24, 32, 2});

void BM_MaxPool2dS8(benchmark::State& state) {
  const EmberPoolParams p{kEmberPaddingValid, 2, 2, 2, 2, kEmberActNone};
  KernelBench kb(RegisterMaxPool2d(), &p, {RandomTensor(kEmberInt8, {1, 24, 24, 32}, 1, 0.02f, 0)},
                 {RandomTensor(kEmberInt8, {1, 12, 12, 32}, 4, 0.02f, 0)});
  RunKernelBench(state, kb, 12 * 12 * 32);
}
BENCHMARK(BM_MaxPool2dS8);

void BM_SoftmaxS8(benchmark::State& state) {
  const int32_t depth = static_cast<int32_t>(state.range(0));
  const EmberSoftmaxParams p{1.0f};
  KernelBench kb(RegisterSoftmax(), &p, {RandomTensor(kEmberInt8, {1, depth}, 1, 0.0125f, -1)},
                 {RandomTensor(kEmberInt8, {1, depth}, 4, 1.0f / 256, -128)});
  RunKernelBench(state, kb, depth);
}
BENCHMARK(BM_SoftmaxS8)->Arg(2)->Arg(1000);

void BM_SoftmaxS16(benchmark::State& state) {
  const EmberSoftmaxParams p{1.0f};
  KernelBench kb(RegisterSoftmax(), &p, {RandomTensor(kEmberInt16, {1, 1000}, 1, 0.0004f, 0)},
                 {RandomTensor(kEmberInt16, {1, 1000}, 4, 1.0f / 32768, 0)});
  RunKernelBench(state, kb, 1000);
}
BENCHMARK(BM_SoftmaxS16);

void BM_SoftmaxFloat(benchmark::State& state) {
  const EmberSoftmaxParams p{1.0f};
  KernelBench kb(RegisterSoftmax(), &p, {RandomTensor(kEmberFloat32, {1, 1000}, 1)},
                 {RandomTensor(kEmberFloat32, {1, 1000}, 4)});
  RunKernelBench(state, kb, 1000);
}
BENCHMARK(BM_SoftmaxFloat);

void BM_QuantizeS16ToS8(benchmark::State& state) {
  KernelBench kb(RegisterQuantize(), nullptr,
                 {RandomTensor(kEmberInt16, {1, 96}, 1, 0.000625f, 0)},
                 {RandomTensor(kEmberInt8, {1, 96}, 4, 0.059208f, -128)});
  RunKernelBench(state, kb, 96);
}
BENCHMARK(BM_QuantizeS16ToS8);

}  // namespace
}  // namespace ember::bench
