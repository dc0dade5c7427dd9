#include "tests/kernels/kernel_runner.h"

#include <cstdarg>
#include <cstdio>

namespace ember::kernels::testing {

size_t ElementSize(EmberType type) {
  switch (type) {
    case kEmberFloat32: return 4;
    case kEmberFloat16: return 2;
    case kEmberInt32: return 4;
    case kEmberUInt8: return 1;
    case kEmberInt64: return 8;
    case kEmberBool: return 1;
    case kEmberInt16: return 2;
    case kEmberComplex64: return 8;
    case kEmberInt8: return 1;
    case kEmberFloat64: return 8;
    default: return 1;
  }
}

int64_t TestTensor::NumElements() const { return NumElementsOf(dims); }

void ExpectFloatNear(const std::vector<float>& got, const std::vector<double>& expected,
                     double abs_tol, double rel_tol) {
  ASSERT_EQ(got.size(), expected.size());
  int reported = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double tol = abs_tol + rel_tol * std::fabs(expected[i]);
    if (!(std::fabs(static_cast<double>(got[i]) - expected[i]) <= tol) && reported++ < 8) {
      ADD_FAILURE() << "element " << i << ": got " << got[i] << ", oracle " << expected[i];
    }
  }
}

uint32_t TestRng::Next() {
  // PCG32 (XSH RR).
  const uint64_t old = state_;
  state_ = old * 6364136223846793005ULL + 1442695040888963407ULL;
  const uint32_t xorshifted = static_cast<uint32_t>(((old >> 18u) ^ old) >> 27u);
  const uint32_t rot = static_cast<uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
}

int32_t TestRng::Int(int32_t lo, int32_t hi) {
  const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(hi) - lo) + 1;
  return static_cast<int32_t>(lo + static_cast<int64_t>(Next() % span));
}

float TestRng::Float(float lo, float hi) {
  return lo + (hi - lo) * static_cast<float>(Next() >> 8) / 16777216.0f;
}

std::vector<float> TestRng::Floats(size_t n, float lo, float hi) {
  std::vector<float> v(n);
  for (auto& x : v) x = Float(lo, hi);
  return v;
}

namespace {
InvokeObserver g_observer = nullptr;
KernelRunner* Self(const EmberContext* ctx) { return static_cast<KernelRunner*>(ctx->impl); }
size_t AlignUp(size_t n) { return (n + 15) & ~static_cast<size_t>(15); }
}  // namespace

void SetInvokeObserver(InvokeObserver observer) { g_observer = observer; }

KernelRunner::KernelRunner(const EmberRegistration& registration, const void* builtin_data,
                           std::vector<TestTensor> inputs, std::vector<TestTensor> outputs,
                           size_t arena_bytes)
    : registration_(registration),
      builtin_data_(builtin_data),
      num_inputs_(inputs.size()),
      arena_(arena_bytes, 0) {
  std::vector<TestTensor> all = std::move(inputs);
  for (auto& t : outputs) all.push_back(std::move(t));
  slots_.resize(all.size());
  // The dims/name/quantization arrays must outlive the views: keep the TestTensors.
  static_assert(sizeof(int64_t) == 8, "");
  tensors_keepalive_ = std::move(all);
  for (size_t i = 0; i < tensors_keepalive_.size(); ++i) {
    const TestTensor& t = tensors_keepalive_[i];
    Slot& s = slots_[i];
    const bool is_output = i >= num_inputs_;
    if (is_output) {
      output_indices_.push_back(t.absent ? -1 : static_cast<int32_t>(i));
    } else {
      input_indices_.push_back(t.absent ? -1 : static_cast<int32_t>(i));
    }
    s.absent = t.absent;
    if (t.absent) continue;
    const size_t expected = static_cast<size_t>(t.NumElements()) * ElementSize(t.type);
    EXPECT_EQ(t.data.size(), expected) << "tensor " << i << ": data size does not match shape";
    s.storage.assign(kGuardBytes + AlignUp(t.data.size()) + kGuardBytes, kGuardByte);
    uint8_t* data = s.storage.data() + kGuardBytes;
    if (is_output) {
      std::memset(data, 0xCD, t.data.size());
    } else if (!t.data.empty()) {
      std::memcpy(data, t.data.data(), t.data.size());
    }
    EmberTensor& v = s.view;
    s.name = t.name.c_str();
    v.data = data;
    v.dims = t.dims.data();
    v.num_dims = static_cast<int32_t>(t.dims.size());
    v.type = t.type;
    v.bytes = static_cast<uint32_t>(t.data.size());
    v.quant.num_channels = static_cast<int32_t>(t.scales.size());
    v.quant.quantized_dimension = t.quantized_dimension;
    if (!t.scales.empty()) {
      v.quant.scale = t.scales[0];
      v.quant.zero_point = static_cast<int32_t>(t.zero_points.at(0));
      v.quant.scales = t.scales.data();
      v.quant.zero_points = t.zero_points.data();
    }
    v.is_constant = t.is_constant ? 1 : 0;
    v.is_variable = t.is_variable ? 1 : 0;
    s.eval = EmberEvalTensor{v.data, v.dims, v.num_dims, v.type, v.is_constant, v.is_variable};
    s.check_unchanged = !is_output && !t.is_variable;
  }
  node_.inputs = input_indices_.data();
  node_.num_inputs = static_cast<int32_t>(input_indices_.size());
  node_.outputs = output_indices_.data();
  node_.num_outputs = static_cast<int32_t>(output_indices_.size());
  node_.builtin_data = builtin_data_;
  node_.op_index = 0;
  context_.GetTensor = &GetTensorThunk;
  context_.AllocatePersistent = &AllocatePersistentThunk;
  context_.RequestScratch = &RequestScratchThunk;
  context_.GetScratch = &GetScratchThunk;
  context_.ReportError = &ReportErrorThunk;
  context_.impl = this;
  context_.GetTensorName = &GetTensorNameThunk;
  context_.GetEvalTensor = &GetEvalTensorThunk;
}

KernelRunner::~KernelRunner() {
  if (init_called_ && registration_.free != nullptr) {
    phase_ = Phase::kFree;
    registration_.free(&context_, node_.user_data);
  }
}

EmberStatus KernelRunner::InitAndPrepareImpl() {
  if (init_called_) {
    Violation("InitAndPrepare called twice");
    return kEmberError;
  }
  init_called_ = true;
  if (registration_.invoke == nullptr) {
    Violation("registration has no invoke");
    return kEmberError;
  }
  if (registration_.init != nullptr) {
    phase_ = Phase::kInit;
    node_.user_data = registration_.init(&context_, builtin_data_);
  }
  EmberStatus status = kEmberOk;
  if (registration_.prepare != nullptr) {
    phase_ = Phase::kPrepare;
    status = registration_.prepare(&context_, &node_);
  }
  phase_ = Phase::kIdle;
  if (status != kEmberOk) {
    if (errors_.empty()) Violation("prepare failed without reporting an error");
    return status;
  }
  if (!LayOutScratch()) return kEmberError;
  CheckGuards("prepare");
  prepared_ = true;
  return kEmberOk;
}

EmberStatus KernelRunner::InvokeImpl() {
  if (!prepared_) {
    Violation("Invoke before a successful InitAndPrepare");
    return kEmberError;
  }
  for (size_t k = 0; k < scratch_block_.size(); ++k) {
    const Block& b = blocks_[scratch_block_[k]];
    std::memset(arena_.data() + b.offset, 0xA5, b.bytes);
  }
  for (Slot& s : slots_) {
    if (s.check_unchanged) {
      const uint8_t* d = static_cast<const uint8_t*>(s.view.data);
      s.original.assign(d, d + s.view.bytes);
    }
  }
  phase_ = Phase::kInvoke;
  const EmberStatus status = registration_.invoke(&context_, &node_);
  phase_ = Phase::kIdle;
  CheckGuards("invoke");
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.check_unchanged && s.view.bytes > 0 &&
        std::memcmp(s.original.data(), s.view.data, s.view.bytes) != 0) {
      Violation("invoke modified input tensor " + std::to_string(i));
    }
  }
  if (status != kEmberOk && errors_.empty()) {
    Violation("invoke failed without reporting an error");
  }
  return status;
}

EmberStatus KernelRunner::InitAndPrepare() {
  const EmberStatus status = InitAndPrepareImpl();
  if (g_observer != nullptr) g_observer(*this, false, status);
  return status;
}

EmberStatus KernelRunner::Invoke() {
  const EmberStatus status = InvokeImpl();
  if (g_observer != nullptr) g_observer(*this, true, status);
  return status;
}

EmberStatus KernelRunner::Run() {
  const EmberStatus s = InitAndPrepare();
  if (s != kEmberOk) return s;
  return Invoke();
}

void KernelRunner::Violation(const std::string& message) {
  ADD_FAILURE() << "kernel contract violation (" << registration_.name << "): " << message;
  errors_ += "[runner] " + message + "\n";
}

void* KernelRunner::Carve(size_t bytes, const char* what) {
  const size_t need = kGuardBytes + AlignUp(bytes) + kGuardBytes;
  if (arena_used_ + need > arena_.size()) return nullptr;
  std::memset(arena_.data() + arena_used_, kGuardByte, need);
  const size_t offset = arena_used_ + kGuardBytes;
  blocks_.push_back(Block{offset, bytes, what});
  arena_used_ += need;
  return arena_.data() + offset;
}

bool KernelRunner::LayOutScratch() {
  for (size_t k = 0; k < scratch_requests_.size(); ++k) {
    if (Carve(scratch_requests_[k], "scratch") == nullptr) {
      errors_ += "[runner] arena too small for scratch buffers\n";
      ADD_FAILURE() << "arena too small for scratch (" << scratch_requests_[k] << " bytes)";
      return false;
    }
    scratch_block_.push_back(blocks_.size() - 1);
    scratch_bytes_ += scratch_requests_[k];
  }
  return true;
}

void KernelRunner::CheckGuards(const char* when) {
  auto check = [&](const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] != kGuardByte) return false;
    }
    return true;
  };
  for (const Block& b : blocks_) {
    const uint8_t* base = arena_.data() + b.offset;
    const size_t tail = AlignUp(b.bytes) - b.bytes + kGuardBytes;
    if (!check(base - kGuardBytes, kGuardBytes) || !check(base + b.bytes, tail)) {
      Violation(std::string("sentinel around a ") + b.what + " block of " +
                std::to_string(b.bytes) + " bytes overwritten during " + when);
    }
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.absent) continue;
    const uint8_t* base = s.storage.data() + kGuardBytes;
    const size_t tail = s.storage.size() - kGuardBytes - s.view.bytes;
    if (!check(s.storage.data(), kGuardBytes) || !check(base + s.view.bytes, tail)) {
      Violation("sentinel around tensor " + std::to_string(i) + " overwritten during " + when);
    }
  }
}

EmberTensor* KernelRunner::GetTensorThunk(const EmberContext* ctx, int32_t index) {
  KernelRunner* self = Self(ctx);
  if (self->phase_ != Phase::kInit && self->phase_ != Phase::kPrepare) {
    // The runtime keeps full views only while the model is prepared (kernel_api.h).
    self->Violation("GetTensor outside init/prepare (invoke must use GetEvalTensor)");
    return nullptr;
  }
  if (index < 0 || static_cast<size_t>(index) >= self->slots_.size()) return nullptr;
  Slot& s = self->slots_[static_cast<size_t>(index)];
  return s.absent ? nullptr : &s.view;
}

EmberEvalTensor* KernelRunner::GetEvalTensorThunk(const EmberContext* ctx, int32_t index) {
  KernelRunner* self = Self(ctx);
  if (index < 0 || static_cast<size_t>(index) >= self->slots_.size()) return nullptr;
  Slot& s = self->slots_[static_cast<size_t>(index)];
  return s.absent ? nullptr : &s.eval;
}

void* KernelRunner::AllocatePersistentThunk(EmberContext* ctx, size_t bytes) {
  KernelRunner* self = Self(ctx);
  if (self->phase_ != Phase::kInit && self->phase_ != Phase::kPrepare) {
    self->Violation("AllocatePersistent outside init/prepare");
    return nullptr;
  }
  void* p = self->Carve(bytes, "persistent");
  if (p == nullptr) {
    self->errors_ += "[runner] arena full: persistent allocation of " + std::to_string(bytes) +
                     " bytes\n";
    return nullptr;
  }
  self->persistent_bytes_ += bytes;
  return p;
}

EmberStatus KernelRunner::RequestScratchThunk(EmberContext* ctx, size_t bytes, int32_t* index) {
  KernelRunner* self = Self(ctx);
  if (self->phase_ != Phase::kPrepare) {
    self->Violation("RequestScratch outside prepare");
    return kEmberError;
  }
  if (index == nullptr) {
    self->Violation("RequestScratch with a null index pointer");
    return kEmberError;
  }
  *index = static_cast<int32_t>(self->scratch_requests_.size());
  self->scratch_requests_.push_back(bytes);
  return kEmberOk;
}

void* KernelRunner::GetScratchThunk(EmberContext* ctx, int32_t index) {
  KernelRunner* self = Self(ctx);
  if (self->phase_ != Phase::kInvoke) {
    self->Violation("GetScratch outside invoke");
    return nullptr;
  }
  if (index < 0 || static_cast<size_t>(index) >= self->scratch_block_.size()) {
    self->Violation("GetScratch with unknown index " + std::to_string(index));
    return nullptr;
  }
  return self->arena_.data() + self->blocks_[self->scratch_block_[static_cast<size_t>(index)]].offset;
}

const char* KernelRunner::GetTensorNameThunk(const EmberContext* ctx, int32_t index) {
  KernelRunner* self = Self(ctx);
  if (index < 0 || static_cast<size_t>(index) >= self->slots_.size()) return "";
  return self->slots_[static_cast<size_t>(index)].name;
}

void KernelRunner::ReportErrorThunk(EmberContext* ctx, const char* format, ...) {
  KernelRunner* self = Self(ctx);
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  self->errors_ += buffer;
  self->errors_ += "\n";
}

}  // namespace ember::kernels::testing
