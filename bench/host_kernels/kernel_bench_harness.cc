// See kernel_bench_harness.h.
#include "bench/host_kernels/kernel_bench_harness.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace ember::bench {
namespace {

size_t SizeOf(EmberType t) {
  switch (t) {
    case kEmberFloat32: case kEmberInt32: return 4;
    case kEmberInt16: return 2;
    case kEmberInt64: return 8;
    default: return 1;
  }
}

uint32_t NextRandom(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

}  // namespace

BenchTensor RandomTensor(EmberType type, std::vector<int32_t> dims, uint32_t seed, float scale,
                         int64_t zero_point) {
  BenchTensor t;
  t.type = type;
  t.dims = std::move(dims);
  size_t n = 1;
  for (int32_t d : t.dims) n *= static_cast<size_t>(d);
  t.data.resize(n * SizeOf(type));
  uint32_t s = seed;
  for (size_t i = 0; i < n; ++i) {
    const int32_t r = static_cast<int32_t>(NextRandom(&s) % 255u) - 127;
    switch (type) {
      case kEmberFloat32: {
        const float f = static_cast<float>(r) / 127.0f;
        std::memcpy(&t.data[i * 4], &f, 4);
        break;
      }
      case kEmberInt16: {
        const int16_t v = static_cast<int16_t>(r * 23);
        std::memcpy(&t.data[i * 2], &v, 2);
        break;
      }
      case kEmberInt32: {
        const int32_t v = r * 8;
        std::memcpy(&t.data[i * 4], &v, 4);
        break;
      }
      case kEmberInt64: {
        const int64_t v = r * 8;
        std::memcpy(&t.data[i * 8], &v, 8);
        break;
      }
      default:
        t.data[i] = static_cast<uint8_t>(static_cast<int8_t>(r));
    }
  }
  if (scale > 0.f) {
    t.scales = {scale};
    t.zero_points = {zero_point};
  }
  return t;
}

BenchTensor RandomPerChannelInt8(std::vector<int32_t> dims, int32_t dimension, int32_t channels,
                                 uint32_t seed) {
  BenchTensor t = RandomTensor(kEmberInt8, std::move(dims), seed);
  t.is_constant = true;
  t.quantized_dimension = dimension;
  for (int32_t c = 0; c < channels; ++c) {
    t.scales.push_back(0.002f + 0.0001f * static_cast<float>(c % 17));
    t.zero_points.push_back(0);
  }
  return t;
}

KernelBench::KernelBench(const EmberRegistration& reg, const void* builtin_data,
                         std::vector<BenchTensor> inputs, std::vector<BenchTensor> outputs)
    : reg_(reg), builtin_data_(builtin_data), arena_(1 << 20) {
  for (auto& t : inputs) tensors_.push_back(std::move(t));
  for (auto& t : outputs) tensors_.push_back(std::move(t));
  views_.resize(tensors_.size());
  evals_.resize(tensors_.size());
  for (size_t i = 0; i < tensors_.size(); ++i) {
    BenchTensor& t = tensors_[i];
    EmberTensor& v = views_[i];
    v.data = t.data.data();
    v.dims = t.dims.data();
    v.num_dims = static_cast<int32_t>(t.dims.size());
    v.type = t.type;
    v.bytes = static_cast<uint32_t>(t.data.size());
    v.quant.num_channels = static_cast<int32_t>(t.scales.size());
    v.quant.quantized_dimension = t.quantized_dimension;
    if (!t.scales.empty()) {
      v.quant.scale = t.scales[0];
      v.quant.zero_point = static_cast<int32_t>(t.zero_points[0]);
      v.quant.scales = t.scales.data();
      v.quant.zero_points = t.zero_points.data();
    }
    v.is_constant = t.is_constant ? 1 : 0;
    v.is_variable = t.is_variable ? 1 : 0;
    evals_[i] = EmberEvalTensor{v.data, v.dims, v.num_dims, v.type, v.is_constant, v.is_variable};
    (i < inputs.size() ? inputs_ : outputs_).push_back(static_cast<int32_t>(i));
  }
  node_.inputs = inputs_.data();
  node_.num_inputs = static_cast<int32_t>(inputs_.size());
  node_.outputs = outputs_.data();
  node_.num_outputs = static_cast<int32_t>(outputs_.size());
  node_.builtin_data = builtin_data_;
  ctx_.GetTensor = &GetTensor;
  ctx_.AllocatePersistent = &AllocatePersistent;
  ctx_.RequestScratch = &RequestScratch;
  ctx_.GetScratch = &GetScratch;
  ctx_.ReportError = &ReportError;
  ctx_.impl = this;
  ctx_.GetTensorName = &GetTensorName;
  ctx_.GetEvalTensor = &GetEvalTensor;
}

bool KernelBench::Prepare() {
  if (reg_.init != nullptr) node_.user_data = reg_.init(&ctx_, builtin_data_);
  if (reg_.prepare != nullptr && reg_.prepare(&ctx_, &node_) != kEmberOk) {
    if (error_.empty()) error_ = "prepare failed";
    return false;
  }
  return true;
}

EmberStatus KernelBench::Invoke() { return reg_.invoke(&ctx_, &node_); }

uint64_t KernelBench::macs() const {
  return reg_.count_macs != nullptr ? reg_.count_macs(&ctx_, &node_) : 0;
}

EmberTensor* KernelBench::GetTensor(const EmberContext* ctx, int32_t index) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  if (index < 0 || static_cast<size_t>(index) >= self->views_.size()) return nullptr;
  return &self->views_[static_cast<size_t>(index)];
}

EmberEvalTensor* KernelBench::GetEvalTensor(const EmberContext* ctx, int32_t index) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  if (index < 0 || static_cast<size_t>(index) >= self->evals_.size()) return nullptr;
  return &self->evals_[static_cast<size_t>(index)];
}

void* KernelBench::AllocatePersistent(EmberContext* ctx, size_t bytes) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  const size_t aligned = (self->used_ + 15) & ~static_cast<size_t>(15);
  if (aligned + bytes > self->arena_.size()) return nullptr;
  self->used_ = aligned + bytes;
  return self->arena_.data() + aligned;
}

EmberStatus KernelBench::RequestScratch(EmberContext* ctx, size_t bytes, int32_t* index) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  void* p = AllocatePersistent(ctx, bytes);
  if (p == nullptr) return kEmberError;
  *index = static_cast<int32_t>(self->scratch_.size());
  self->scratch_.push_back(p);
  return kEmberOk;
}

void* KernelBench::GetScratch(EmberContext* ctx, int32_t index) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  if (index < 0 || static_cast<size_t>(index) >= self->scratch_.size()) return nullptr;
  return self->scratch_[static_cast<size_t>(index)];
}

// Benchmark tensors are unnamed.
const char* KernelBench::GetTensorName(const EmberContext* /*ctx*/, int32_t /*index*/) {
  return "";
}

void KernelBench::ReportError(EmberContext* ctx, const char* format, ...) {
  auto* self = static_cast<KernelBench*>(ctx->impl);
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  self->error_ += buffer;
  self->error_ += '\n';
}

}  // namespace ember::bench
