// Host benchmarks of the remaining kernels (reference variants): elementwise arithmetic
// and activations, data movement ops, SVDF and TRANSPOSE_CONV. Shapes are small
// keyword/vision-sized tensors; int8 unless the name says otherwise.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "bench/host_kernels/bench_util.h"
#include "kernels/registrations.h"
#include "runtime/builtin_params.h"

namespace ember::bench {
namespace {

using namespace ember::kernels;  // NOLINT: Register* functions

// A constant int32 tensor with the given values (shape [values.size()] unless dims given).
BenchTensor ConstInt32(std::vector<int32_t> values, std::vector<int32_t> dims = {}) {
  BenchTensor t;
  t.type = kEmberInt32;
  t.dims = dims.empty() ? std::vector<int32_t>{static_cast<int32_t>(values.size())} : dims;
  t.data.resize(values.size() * sizeof(int32_t));
  std::memcpy(t.data.data(), values.data(), t.data.size());
  t.is_constant = true;
  return t;
}

BenchTensor S8(std::vector<int32_t> dims, uint32_t seed, float scale = 0.05f, int64_t zp = 0) {
  return RandomTensor(kEmberInt8, std::move(dims), seed, scale, zp);
}

int64_t Elements(const std::vector<int32_t>& dims) {
  int64_t n = 1;
  for (int32_t d : dims) n *= d;
  return n;
}

// ADD / SUB / MUL: same-shape and broadcast ([1,24,24,16] with [1,1,1,16]).
template <EmberRegistration (*Reg)(), bool kMul>
void BM_BinaryS8(benchmark::State& state) {
  const bool broadcast = state.range(0) != 0;
  const std::vector<int32_t> a_dims{1, 24, 24, 16};
  const std::vector<int32_t> b_dims = broadcast ? std::vector<int32_t>{1, 1, 1, 16} : a_dims;
  const EmberAddSubParams add_params{kEmberActNone, 1};
  const EmberMulParams mul_params{kEmberActNone};
  const void* params = kMul ? static_cast<const void*>(&mul_params) : &add_params;
  KernelBench kb(Reg(), params, {S8(a_dims, 1, 0.05f, 3), S8(b_dims, 2, 0.04f, -5)},
                 {S8(a_dims, 3, 0.08f, 1)});
  RunKernelBench(state, kb, Elements(a_dims));
}
BENCHMARK_TEMPLATE(BM_BinaryS8, &RegisterAdd, false)->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_BinaryS8, &RegisterSub, false)->Arg(0)->Arg(1);
BENCHMARK_TEMPLATE(BM_BinaryS8, &RegisterMul, true)->Arg(0)->Arg(1);

// Unary activations on [1,24,24,16].
template <EmberRegistration (*Reg)()>
void BM_UnaryS8(benchmark::State& state) {
  const std::vector<int32_t> dims{1, 24, 24, 16};
  const EmberLeakyReluParams leaky{0.2f};
  // LOGISTIC/TANH need their fixed output quantization (1/256, -128 and 1/128, 0).
  const bool logistic = Reg == &RegisterLogistic;
  const bool tanh = Reg == &RegisterTanh;
  const float out_scale = logistic ? 1.0f / 256 : tanh ? 1.0f / 128 : 0.05f;
  const int64_t out_zp = logistic ? -128 : 0;
  KernelBench kb(Reg(), Reg == &RegisterLeakyRelu ? &leaky : nullptr, {S8(dims, 1, 0.05f, 2)},
                 {S8(dims, 3, out_scale, out_zp)});
  RunKernelBench(state, kb, Elements(dims));
}
BENCHMARK_TEMPLATE(BM_UnaryS8, &RegisterRelu);
BENCHMARK_TEMPLATE(BM_UnaryS8, &RegisterRelu6);
BENCHMARK_TEMPLATE(BM_UnaryS8, &RegisterLeakyRelu);
BENCHMARK_TEMPLATE(BM_UnaryS8, &RegisterLogistic);
BENCHMARK_TEMPLATE(BM_UnaryS8, &RegisterTanh);

void BM_DequantizeS8(benchmark::State& state) {
  const std::vector<int32_t> dims{1, 1000};
  KernelBench kb(RegisterDequantize(), nullptr, {S8(dims, 1, 0.05f, 2)},
                 {RandomTensor(kEmberFloat32, dims, 2)});
  RunKernelBench(state, kb, Elements(dims));
}
BENCHMARK(BM_DequantizeS8);

void BM_QuantizeFloatToS8(benchmark::State& state) {
  const std::vector<int32_t> dims{1, 1000};
  KernelBench kb(RegisterQuantize(), nullptr, {RandomTensor(kEmberFloat32, dims, 1)},
                 {S8(dims, 2, 0.01f, -3)});
  RunKernelBench(state, kb, Elements(dims));
}
BENCHMARK(BM_QuantizeFloatToS8);

void BM_PadS8(benchmark::State& state) {
  // [1,24,24,16] -> [1,26,26,16] (one pixel of padding around the image).
  KernelBench kb(RegisterPad(), nullptr,
                 {S8({1, 24, 24, 16}, 1), ConstInt32({0, 0, 1, 1, 1, 1, 0, 0}, {4, 2})},
                 {S8({1, 26, 26, 16}, 2)});
  RunKernelBench(state, kb, 26 * 26 * 16);
}
BENCHMARK(BM_PadS8);

void BM_ConcatenationS8(benchmark::State& state) {
  const EmberConcatenationParams p{3, kEmberActNone};
  KernelBench kb(RegisterConcatenation(), &p, {S8({1, 24, 24, 16}, 1), S8({1, 24, 24, 8}, 2)},
                 {S8({1, 24, 24, 24}, 3)});
  RunKernelBench(state, kb, 24 * 24 * 24);
}
BENCHMARK(BM_ConcatenationS8);

void BM_MeanS8(benchmark::State& state) {
  // Global average over H and W, as at the end of a classifier.
  const EmberReducerParams p{1};
  KernelBench kb(RegisterMean(), &p, {S8({1, 12, 12, 64}, 1), ConstInt32({1, 2})},
                 {S8({1, 1, 1, 64}, 2)});
  RunKernelBench(state, kb, 64);
}
BENCHMARK(BM_MeanS8);

void BM_StridedSliceS8(benchmark::State& state) {
  const EmberStridedSliceParams p{0, 0, 0, 0, 0, 0};
  KernelBench kb(RegisterStridedSlice(), &p,
                 {S8({1, 24, 24, 16}, 1), ConstInt32({0, 2, 2, 0}), ConstInt32({1, 22, 22, 16}),
                  ConstInt32({1, 2, 2, 1})},
                 {S8({1, 10, 10, 16}, 2)});
  RunKernelBench(state, kb, 10 * 10 * 16);
}
BENCHMARK(BM_StridedSliceS8);

void BM_TransposeS8(benchmark::State& state) {
  KernelBench kb(RegisterTranspose(), nullptr, {S8({1, 24, 24, 16}, 1), ConstInt32({0, 3, 1, 2})},
                 {S8({1, 16, 24, 24}, 2)});
  RunKernelBench(state, kb, 24 * 24 * 16);
}
BENCHMARK(BM_TransposeS8);

void BM_ReshapeS8(benchmark::State& state) {
  EmberReshapeParams p{};
  p.num_dims = 2;
  p.shape[0] = 1;
  p.shape[1] = 24 * 24 * 16;
  KernelBench kb(RegisterReshape(), &p, {S8({1, 24, 24, 16}, 1)}, {S8({1, 24 * 24 * 16}, 2)});
  RunKernelBench(state, kb, 24 * 24 * 16);
}
BENCHMARK(BM_ReshapeS8);

void BM_TransposeConvS8(benchmark::State& state) {
  // 12x12x16 -> 24x24x8, 3x3 filter, stride 2, SAME (a decoder upsampling layer).
  const EmberTransposeConvParams p{kEmberPaddingSame, 2, 2, kEmberActNone};
  KernelBench kb(RegisterTransposeConv(), &p,
                 {ConstInt32({1, 24, 24, 8}), RandomPerChannelInt8({8, 3, 3, 16}, 0, 8, 2),
                  S8({1, 12, 12, 16}, 1, 0.05f, 1)},
                 {S8({1, 24, 24, 8}, 3, 0.1f, -2)});
  RunKernelBench(state, kb, 24 * 24 * 8);
}
BENCHMARK(BM_TransposeConvS8);

void BM_SvdfS8(benchmark::State& state) {
  // The keyword model's first SVDF: input 40 features, 64 filters (rank 1), memory 8.
  const int32_t input_size = 40, filters = 64, memory = 8;
  const EmberSvdfParams p{1, kEmberActRelu};
  BenchTensor weights_feature = RandomTensor(kEmberInt8, {filters, input_size}, 2, 0.01f, 0);
  weights_feature.is_constant = true;
  BenchTensor weights_time = RandomTensor(kEmberInt16, {filters, memory}, 3, 0.0005f, 0);
  weights_time.is_constant = true;
  BenchTensor bias = RandomTensor(kEmberInt32, {filters}, 4);
  bias.is_constant = true;
  BenchTensor state_tensor = RandomTensor(kEmberInt16, {1, memory * filters}, 5, 0.002f, 0);
  state_tensor.is_variable = true;
  KernelBench kb(RegisterSvdf(), &p,
                 {S8({1, input_size}, 1, 0.05f, -10), weights_feature, weights_time, bias,
                  state_tensor},
                 {S8({1, filters}, 6, 0.05f, -128)});
  RunKernelBench(state, kb, filters);
}
BENCHMARK(BM_SvdfS8);

}  // namespace
}  // namespace ember::bench
