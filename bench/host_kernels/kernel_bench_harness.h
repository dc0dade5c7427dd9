// Minimal host harness for kernel benchmarks: owns tensors and a bump arena, implements
// EmberContext, and runs a registration's init/prepare once and invoke on demand.
// (The gtest KernelRunner in tests/kernels/ adds guards and contract checks; benchmarks
// only need the calls, without gtest.)
#ifndef EMBER_BENCH_HOST_KERNELS_KERNEL_BENCH_HARNESS_H_
#define EMBER_BENCH_HOST_KERNELS_KERNEL_BENCH_HARNESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/kernel_api.h"

namespace ember::bench {

struct BenchTensor {
  EmberType type = kEmberFloat32;
  std::vector<int32_t> dims;
  std::vector<uint8_t> data;
  std::vector<float> scales;       // empty: not quantized
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
  bool is_constant = false;
  bool is_variable = false;  // state kept across invokes (SVDF)
};

// Tensor of `dims` filled with deterministic pseudo-random values of the type's range
// (int8: [-127, 127], int16: [-3000, 3000], int32: [-1000, 1000], float: [-1, 1]).
BenchTensor RandomTensor(EmberType type, std::vector<int32_t> dims, uint32_t seed,
                         float scale = 0.f, int64_t zero_point = 0);
// Per-channel quantized int8 weights along `dimension` with `channels` scales.
BenchTensor RandomPerChannelInt8(std::vector<int32_t> dims, int32_t dimension,
                                 int32_t channels, uint32_t seed);

class KernelBench {
 public:
  KernelBench(const EmberRegistration& reg, const void* builtin_data,
              std::vector<BenchTensor> inputs, std::vector<BenchTensor> outputs);
  // init + prepare; false (with the message in error()) on failure.
  bool Prepare();
  EmberStatus Invoke();
  const std::string& error() const { return error_; }
  uint64_t macs() const;

 private:
  static EmberTensor* GetTensor(const EmberContext* ctx, int32_t index);
  static EmberEvalTensor* GetEvalTensor(const EmberContext* ctx, int32_t index);
  static void* AllocatePersistent(EmberContext* ctx, size_t bytes);
  static EmberStatus RequestScratch(EmberContext* ctx, size_t bytes, int32_t* index);
  static void* GetScratch(EmberContext* ctx, int32_t index);
  static void ReportError(EmberContext* ctx, const char* format, ...);
  static const char* GetTensorName(const EmberContext* ctx, int32_t index);

  EmberRegistration reg_;
  const void* builtin_data_;
  std::vector<BenchTensor> tensors_;
  std::vector<EmberTensor> views_;
  std::vector<EmberEvalTensor> evals_;  // what invoke reads (kernel_api.h)
  std::vector<int32_t> inputs_, outputs_;
  std::vector<uint8_t> arena_;
  size_t used_ = 0;
  std::vector<void*> scratch_;
  EmberNode node_{};
  EmberContext ctx_{};
  std::string error_;
};

}  // namespace ember::bench

#endif  // EMBER_BENCH_HOST_KERNELS_KERNEL_BENCH_HARNESS_H_
