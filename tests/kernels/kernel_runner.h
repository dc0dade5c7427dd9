// Kernel test runner: drives one kernel registration through init / prepare / invoke /
// free on the host, the way the interpreter does, with tensors built from plain test data.
//
// What it checks on every call (a violation is a gtest failure, ADD_FAILURE):
//   - persistent allocations and scratch buffers live in one fixed arena; each allocation
//     is surrounded by kGuardBytes sentinel bytes that are verified after prepare and after
//     every invoke (catches overruns and underruns);
//   - every tensor's data buffer is surrounded by sentinels as well (output overruns);
//   - non-variable input tensors must be unchanged by invoke;
//   - AllocatePersistent only in init/prepare, RequestScratch only in prepare, GetScratch
//     only in invoke (as kernel_api.h says); an unknown scratch index is an error;
//   - scratch buffers are filled with garbage (0xA5) before each invoke, so a kernel that
//     relies on zeroed scratch fails; outputs start filled with 0xCD.
// ReportError messages are captured (formatted with vsnprintf) and available as errors().
//
// Typical test:
//   EmberAddSubParams params{kEmberActNone, 1};
//   KernelRunner r(RegisterAdd(), &params,
//                  {Tensor<float>({1, 2}, {1.f, 2.f}), Tensor<float>({1}, {3.f})},
//                  {Output<float>({1, 2})});
//   ASSERT_EQ(r.Run(), kEmberOk) << r.errors();
//   EXPECT_EQ(r.Output<float>(0), (std::vector<float>{4.f, 5.f}));
#ifndef EMBER_TESTS_KERNELS_KERNEL_RUNNER_H_
#define EMBER_TESTS_KERNELS_KERNEL_RUNNER_H_

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/builtin_params.h"
#include "runtime/kernel_api.h"

// Default arena of a KernelRunner. The emulated kernel tests (tests/kernels_emulated) build
// these tests for boards with 256 KB of RAM or less and set a smaller one.
#ifndef EMBER_KERNEL_RUNNER_ARENA_BYTES
#define EMBER_KERNEL_RUNNER_ARENA_BYTES (256 * 1024)
#endif

namespace ember::kernels::testing {

// The EmberType of a C++ element type.
template <typename T>
constexpr EmberType TypeOf() {
  if constexpr (std::is_same_v<T, float>) return kEmberFloat32;
  if constexpr (std::is_same_v<T, int8_t>) return kEmberInt8;
  if constexpr (std::is_same_v<T, uint8_t>) return kEmberUInt8;
  if constexpr (std::is_same_v<T, int16_t>) return kEmberInt16;
  if constexpr (std::is_same_v<T, int32_t>) return kEmberInt32;
  if constexpr (std::is_same_v<T, int64_t>) return kEmberInt64;
  if constexpr (std::is_same_v<T, bool>) return kEmberBool;
  return kEmberString;  // unreachable for the types tests use
}

size_t ElementSize(EmberType type);

// A tensor described by plain data. Build with the helpers below and adjust with the
// chainable modifiers, e.g. Tensor<int8_t>({2}, {1, 2}, 0.5f, -1).Const().
struct TestTensor {
  EmberType type = kEmberFloat32;
  std::vector<int32_t> dims;
  std::vector<uint8_t> data;  // raw little-endian bytes, element count * element size
  std::vector<float> scales;  // empty: not quantized; 1: per tensor; >1: per channel
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;
  bool is_constant = false;
  bool is_variable = false;
  bool absent = false;  // an optional input that is not there (index -1)
  std::string name;

  TestTensor& Const() { is_constant = true; return *this; }
  TestTensor& Variable() { is_variable = true; return *this; }
  TestTensor& Named(std::string n) { name = std::move(n); return *this; }
  int64_t NumElements() const;
};

inline int64_t NumElementsOf(const std::vector<int32_t>& dims) {
  int64_t n = 1;
  for (int32_t d : dims) n *= d;
  return n;
}

// A tensor with the given values; quantized with (scale, zero_point) when scale > 0.
template <typename T>
TestTensor Tensor(std::vector<int32_t> dims, const std::vector<T>& values, float scale = 0.f,
                  int64_t zero_point = 0) {
  TestTensor t;
  t.type = TypeOf<T>();
  t.dims = std::move(dims);
  EXPECT_EQ(static_cast<int64_t>(values.size()), NumElementsOf(t.dims))
      << "test data does not match the shape";
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(t.data.data(), values.data(), t.data.size());
  if (scale > 0.f) {
    t.scales = {scale};
    t.zero_points = {zero_point};
  }
  return t;
}

// An output (or any uninitialized) tensor of the given shape.
template <typename T>
TestTensor Output(std::vector<int32_t> dims, float scale = 0.f, int64_t zero_point = 0) {
  std::vector<T> zeros(static_cast<size_t>(NumElementsOf(dims)));
  return Tensor<T>(std::move(dims), zeros, scale, zero_point);
}

// Per-channel quantized tensor (e.g. int8 conv filters), quantized along `dimension`.
template <typename T>
TestTensor PerChannel(std::vector<int32_t> dims, const std::vector<T>& values,
                      std::vector<float> scales, std::vector<int64_t> zero_points,
                      int32_t dimension) {
  TestTensor t = Tensor<T>(std::move(dims), values);
  t.scales = std::move(scales);
  t.zero_points = std::move(zero_points);
  t.quantized_dimension = dimension;
  return t;
}

// The absent optional input (tensor index -1).
inline TestTensor Absent() {
  TestTensor t;
  t.absent = true;
  return t;
}

// Quantization helpers for test oracles: q = clamp(round(x / scale) + zero_point).
// Rounding is half away from zero (std::round), as TensorFlow Lite's quantizer.
template <typename T>
std::vector<T> Quantize(const std::vector<float>& values, float scale, int64_t zero_point) {
  std::vector<T> out;
  out.reserve(values.size());
  for (float v : values) {
    double q = std::round(static_cast<double>(v) / scale) + static_cast<double>(zero_point);
    q = std::fmax(q, static_cast<double>(std::numeric_limits<T>::min()));
    q = std::fmin(q, static_cast<double>(std::numeric_limits<T>::max()));
    out.push_back(static_cast<T>(q));
  }
  return out;
}

template <typename T>
std::vector<float> Dequantize(const std::vector<T>& values, float scale, int64_t zero_point) {
  std::vector<float> out;
  out.reserve(values.size());
  for (T v : values) {
    out.push_back(static_cast<float>(scale * (static_cast<double>(v) - zero_point)));
  }
  return out;
}

// Quantized tensor from real values.
template <typename T>
TestTensor QuantizedTensor(std::vector<int32_t> dims, const std::vector<float>& real,
                           float scale, int64_t zero_point) {
  return Tensor<T>(std::move(dims), Quantize<T>(real, scale, zero_point), scale, zero_point);
}

// Oracle comparison for quantized outputs: expected real values (computed in double by
// the test) are quantized to the output's (scale, zero_point) with clamping, then every
// element of `got` must be within `lsb` of it. Reports the first few mismatches.
template <typename T>
void ExpectWithinLsb(const std::vector<T>& got, const std::vector<double>& expected_real,
                     double scale, int64_t zero_point, int lsb = 1) {
  ASSERT_EQ(got.size(), expected_real.size());
  int reported = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    double q = std::round(expected_real[i] / scale) + static_cast<double>(zero_point);
    q = std::fmin(std::fmax(q, double{std::numeric_limits<T>::min()}),
                  double{std::numeric_limits<T>::max()});
    if (std::fabs(static_cast<double>(got[i]) - q) > lsb && reported++ < 8) {
      ADD_FAILURE() << "element " << i << ": got " << static_cast<int64_t>(got[i])
                    << ", oracle " << q << " (real " << expected_real[i] << ")";
    }
  }
}

// Float outputs against a double oracle with an absolute + relative tolerance.
void ExpectFloatNear(const std::vector<float>& got, const std::vector<double>& expected,
                     double abs_tol = 1e-5, double rel_tol = 1e-5);

// A deterministic pseudo-random generator for test data (no global state).
class TestRng {
 public:
  explicit TestRng(uint64_t seed) : state_(seed * 6364136223846793005ULL + 1442695040888963407ULL) {}
  uint32_t Next();
  // Uniform integer in [lo, hi].
  int32_t Int(int32_t lo, int32_t hi);
  // Uniform float in [lo, hi).
  float Float(float lo, float hi);
  template <typename T>
  std::vector<T> Ints(size_t n, int32_t lo = std::numeric_limits<T>::min(),
                      int32_t hi = std::numeric_limits<T>::max()) {
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(Int(lo, hi));
    return v;
  }
  std::vector<float> Floats(size_t n, float lo, float hi);

 private:
  uint64_t state_;
};

class KernelRunner;

// Optional hook called after every InitAndPrepare() (invoked == false) and Invoke()
// (invoked == true) with the kernel's status; null by default. tests/kernels_emulated uses
// it to checksum every output and compare the emulated run with the host run.
using InvokeObserver = void (*)(KernelRunner& runner, bool invoked, EmberStatus status);
void SetInvokeObserver(InvokeObserver observer);

class KernelRunner {
 public:
  static constexpr size_t kGuardBytes = 16;
  static constexpr uint8_t kGuardByte = 0xEB;

  // Tensors get indices: inputs 0..n-1 in order, then outputs. `builtin_data` must
  // outlive the runner. `arena_bytes` bounds persistent + scratch memory.
  KernelRunner(const EmberRegistration& registration, const void* builtin_data,
               std::vector<TestTensor> inputs, std::vector<TestTensor> outputs,
               size_t arena_bytes = EMBER_KERNEL_RUNNER_ARENA_BYTES);
  ~KernelRunner();
  KernelRunner(const KernelRunner&) = delete;
  KernelRunner& operator=(const KernelRunner&) = delete;

  // init (if any) then prepare (if any). Only once.
  [[nodiscard]] EmberStatus InitAndPrepare();
  // One invoke (after a successful InitAndPrepare); then checks the sentinels and inputs.
  [[nodiscard]] EmberStatus Invoke();
  // InitAndPrepare + Invoke.
  [[nodiscard]] EmberStatus Run();

  // Output i's elements (i counts outputs only).
  template <typename T>
  std::vector<T> Output(int i = 0) const {
    return Elements<T>(static_cast<int>(num_inputs_) + i);
  }
  // Any tensor's current elements by runner index (inputs first, then outputs).
  template <typename T>
  std::vector<T> Elements(int tensor_index) const {
    const Slot& s = slots_.at(static_cast<size_t>(tensor_index));
    EXPECT_EQ(s.view.type, TypeOf<T>()) << "wrong element type requested";
    std::vector<T> out(s.view.bytes / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), s.view.data, s.view.bytes);
    return out;
  }
  // Overwrites input i's data (e.g. a new frame between invokes).
  template <typename T>
  void SetInput(int i, const std::vector<T>& values) {
    Slot& s = slots_.at(static_cast<size_t>(i));
    ASSERT_EQ(values.size() * sizeof(T), s.view.bytes);
    std::memcpy(s.view.data, values.data(), s.view.bytes);
  }
  EmberTensor* tensor(int index) { return &slots_.at(static_cast<size_t>(index)).view; }

  // All ReportError messages so far, one per line.
  const std::string& errors() const { return errors_; }
  bool HasError(const std::string& fragment) const {
    return errors_.find(fragment) != std::string::npos;
  }
  size_t persistent_bytes() const { return persistent_bytes_; }
  size_t scratch_bytes() const { return scratch_bytes_; }
  const EmberNode& node() const { return node_; }
  EmberContext* context() { return &context_; }

 private:
  enum class Phase { kIdle, kInit, kPrepare, kInvoke, kFree };
  struct Slot {
    std::vector<uint8_t> storage;  // guard + data + guard
    std::vector<uint8_t> original;  // inputs: copy taken before invoke
    EmberTensor view{};      // init/prepare (GetTensor)
    EmberEvalTensor eval{};  // invoke (GetEvalTensor), from view
    const char* name = "";  // in tensors_keepalive_
    bool absent = false;
    bool check_unchanged = false;
  };
  struct Block {
    size_t offset;  // of the usable bytes in arena_
    size_t bytes;
    const char* what;
  };

  static EmberTensor* GetTensorThunk(const EmberContext* ctx, int32_t index);
  static EmberEvalTensor* GetEvalTensorThunk(const EmberContext* ctx, int32_t index);
  static const char* GetTensorNameThunk(const EmberContext* ctx, int32_t index);
  static void* AllocatePersistentThunk(EmberContext* ctx, size_t bytes);
  static EmberStatus RequestScratchThunk(EmberContext* ctx, size_t bytes, int32_t* index);
  static void* GetScratchThunk(EmberContext* ctx, int32_t index);
  static void ReportErrorThunk(EmberContext* ctx, const char* format, ...);

  EmberStatus InitAndPrepareImpl();
  EmberStatus InvokeImpl();
  void* Carve(size_t bytes, const char* what);
  bool LayOutScratch();
  void CheckGuards(const char* when);
  void Violation(const std::string& message);

  EmberRegistration registration_;
  const void* builtin_data_;
  size_t num_inputs_;
  std::vector<TestTensor> tensors_keepalive_;  // dims, names, scales the views point to
  std::vector<Slot> slots_;
  std::vector<int32_t> input_indices_;
  std::vector<int32_t> output_indices_;
  EmberNode node_{};
  EmberContext context_{};
  std::vector<uint8_t> arena_;
  size_t arena_used_ = 0;
  std::vector<Block> blocks_;               // persistent, then scratch
  std::vector<size_t> scratch_requests_;    // bytes per scratch index
  std::vector<size_t> scratch_block_;       // index into blocks_ per scratch index
  size_t persistent_bytes_ = 0;
  size_t scratch_bytes_ = 0;
  Phase phase_ = Phase::kIdle;
  bool prepared_ = false;
  bool init_called_ = false;
  std::string errors_;
};

}  // namespace ember::kernels::testing

#endif  // EMBER_TESTS_KERNELS_KERNEL_RUNNER_H_
