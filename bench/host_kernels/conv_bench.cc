// CONV_2D and DEPTHWISE_CONV_2D host benchmarks (reference and DSP variants; on the host
// the DSP variants run the portable instruction versions) on layer shapes of
// the VWW person detection model (MobileNet v1 0.25, 96x96) and a float variant.
#include <benchmark/benchmark.h>

#include "bench/host_kernels/bench_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::bench {
namespace {

using namespace ember::kernels;  // NOLINT: Register* functions

// Conv: input HxWxCin, filter KxK, Cout, stride.
using RegFn = EmberRegistration (*)();

void BM_Conv2dS8(benchmark::State& state, RegFn reg) {
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t cin = static_cast<int32_t>(state.range(1));
  const int32_t cout = static_cast<int32_t>(state.range(2));
  const int32_t k = static_cast<int32_t>(state.range(3));
  const int32_t stride = static_cast<int32_t>(state.range(4));
  const int32_t oh = (h + stride - 1) / stride;
  const EmberConvParams p{kEmberPaddingSame, stride, stride, 1, 1, kEmberActRelu6};
  BenchTensor bias = RandomTensor(kEmberInt32, {cout}, 3);
  bias.is_constant = true;
  KernelBench kb(reg(), &p,
                 {RandomTensor(kEmberInt8, {1, h, h, cin}, 1, 0.02f, -128),
                  RandomPerChannelInt8({cout, k, k, cin}, 0, cout, 2), bias},
                 {RandomTensor(kEmberInt8, {1, oh, oh, cout}, 4, 0.02f, -128)});
  RunKernelBench(state, kb, int64_t{oh} * oh * cout);
}
// (h, cin, cout, k, stride): VWW's first conv, a pointwise 48x48 and a 6x6 one.
#define EMBER_CONV_ARGS \
  ->Args({96, 1, 8, 3, 2})->Args({48, 8, 16, 1, 1})->Args({12, 64, 128, 1, 1})->Args({6, 128, 256, 1, 1})
BENCHMARK_CAPTURE(BM_Conv2dS8, reference, &RegisterConv2d) EMBER_CONV_ARGS;
BENCHMARK_CAPTURE(BM_Conv2dS8, dsp_portable, &RegisterConv2dDsp) EMBER_CONV_ARGS;
#undef EMBER_CONV_ARGS

void BM_Conv2dFloat(benchmark::State& state) {
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t cin = static_cast<int32_t>(state.range(1));
  const int32_t cout = static_cast<int32_t>(state.range(2));
  const EmberConvParams p{kEmberPaddingSame, 1, 1, 1, 1, kEmberActNone};
  BenchTensor w = RandomTensor(kEmberFloat32, {cout, 3, 3, cin}, 2);
  w.is_constant = true;
  KernelBench kb(RegisterConv2d(), &p, {RandomTensor(kEmberFloat32, {1, h, h, cin}, 1), w},
                 {RandomTensor(kEmberFloat32, {1, h, h, cout}, 4)});
  RunKernelBench(state, kb, int64_t{h} * h * cout);
}
BENCHMARK(BM_Conv2dFloat)->Args({24, 16, 16});

void BM_Conv2dS16x8(benchmark::State& state) {
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t cin = static_cast<int32_t>(state.range(1));
  const int32_t cout = static_cast<int32_t>(state.range(2));
  const EmberConvParams p{kEmberPaddingSame, 1, 1, 1, 1, kEmberActNone};
  BenchTensor bias = RandomTensor(kEmberInt64, {cout}, 3);
  bias.is_constant = true;
  KernelBench kb(RegisterConv2d(), &p,
                 {RandomTensor(kEmberInt16, {1, h, h, cin}, 1, 0.0005f, 0),
                  RandomPerChannelInt8({cout, 3, 3, cin}, 0, cout, 2), bias},
                 {RandomTensor(kEmberInt16, {1, h, h, cout}, 4, 0.001f, 0)});
  RunKernelBench(state, kb, int64_t{h} * h * cout);
}
BENCHMARK(BM_Conv2dS16x8)->Args({24, 16, 16});

// Depthwise: input HxWxC, 3x3, depth multiplier, stride.
void BM_DepthwiseConv2dS8(benchmark::State& state, RegFn reg) {
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t c = static_cast<int32_t>(state.range(1));
  const int32_t dm = static_cast<int32_t>(state.range(2));
  const int32_t stride = static_cast<int32_t>(state.range(3));
  const int32_t oh = (h + stride - 1) / stride;
  const EmberDepthwiseConvParams p{kEmberPaddingSame, stride, stride, 1, 1, dm, kEmberActRelu6};
  BenchTensor bias = RandomTensor(kEmberInt32, {c * dm}, 3);
  bias.is_constant = true;
  KernelBench kb(reg(), &p,
                 {RandomTensor(kEmberInt8, {1, h, h, c}, 1, 0.02f, -128),
                  RandomPerChannelInt8({1, 3, 3, c * dm}, 3, c * dm, 2), bias},
                 {RandomTensor(kEmberInt8, {1, oh, oh, c * dm}, 4, 0.02f, -128)});
  RunKernelBench(state, kb, int64_t{oh} * oh * c * dm);
}
// (h, c, dm, stride): VWW's layers 48x48x8 s1, 48x48x16 s2, 12x12x128 s1, 6x6x256 s1.
#define EMBER_DW_ARGS \
  ->Args({96, 1, 8, 2})->Args({48, 8, 1, 1})->Args({48, 16, 1, 2})->Args({12, 128, 1, 1}) \
  ->Args({6, 256, 1, 1})
BENCHMARK_CAPTURE(BM_DepthwiseConv2dS8, reference, &RegisterDepthwiseConv2d) EMBER_DW_ARGS;
BENCHMARK_CAPTURE(BM_DepthwiseConv2dS8, dsp_portable, &RegisterDepthwiseConv2dDsp) EMBER_DW_ARGS;
#undef EMBER_DW_ARGS

void BM_DepthwiseConv2dFloat(benchmark::State& state) {
  const int32_t h = static_cast<int32_t>(state.range(0));
  const int32_t c = static_cast<int32_t>(state.range(1));
  const EmberDepthwiseConvParams p{kEmberPaddingSame, 1, 1, 1, 1, 1, kEmberActNone};
  BenchTensor w = RandomTensor(kEmberFloat32, {1, 3, 3, c}, 2);
  w.is_constant = true;
  KernelBench kb(RegisterDepthwiseConv2d(), &p, {RandomTensor(kEmberFloat32, {1, h, h, c}, 1), w},
                 {RandomTensor(kEmberFloat32, {1, h, h, c}, 4)});
  RunKernelBench(state, kb, int64_t{h} * h * c);
}
BENCHMARK(BM_DepthwiseConv2dFloat)->Args({48, 16});

}  // namespace
}  // namespace ember::bench
