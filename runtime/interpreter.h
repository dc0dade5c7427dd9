// The interpreter: runs one .tflite model (subgraph 0) with kernels from an op resolver,
// using only a caller-supplied arena.
//
//   alignas(16) static uint8_t arena[20 * 1024];
//   ember::rt::Interpreter interpreter(model_data, model_size, resolver, arena, sizeof(arena));
//   if (interpreter.AllocateTensors() != kEmberOk) ...   // all checks and allocation
//   EmberTensor* in = interpreter.input(0);  ... fill in->data ...
//   if (interpreter.Invoke() != kEmberOk) ...            // no allocation from here on
//   EmberTensor* out = interpreter.output(0);
//
// AllocateTensors() does, in order (everything in the arena, see arena_allocator.h):
//   1. verify the model (model_reader.h); tail: an arena tag, one EmberEvalTensor per
//      tensor, full views of the model inputs/outputs, nodes;
//   2. resolve every op (unknown op code vs op not registered: different errors),
//      parse its options into the tail;
//   3. init and prepare every op (kernels allocate op data in the tail, request scratch;
//      their full tensor views are temporaries, see interpreter_views.cc);
//   4. variable tensors get zeroed tail memory;
//   5. plan tensors + scratch buffers (greedy first-fit-decreasing, or offline offsets
//      from the model's OfflineMemoryAllocation metadata, or the linear baseline) in
//      temporaries, release them and commit the head.
// Invoke() runs the ops in order; with a Profiler it records one event per op and one
// around the whole call; an OpObserver is called after each op.
//
// An Interpreter is not copyable. All errors are logged once through runtime/log.h
// with the op name, op index and tensor concerned, and return kEmberError.
#ifndef EMBER_RUNTIME_INTERPRETER_H_
#define EMBER_RUNTIME_INTERPRETER_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/arena_allocator/arena_allocator.h"
#include "runtime/arena_usage.h"
#include "runtime/kernel_api.h"
#include "runtime/multi_tenant_arena.h"
#include "runtime/op_resolver.h"
#include "runtime/profiler.h"

namespace ember::rt {

enum class PlannerKind : uint8_t {
  kGreedy,  // first-fit decreasing; honours offline-planned offsets
  kLinear,  // baseline: no sharing (ignores offline offsets)
};

class Interpreter;
class ModelReader;
struct ArenaTag;

// Bytes of a tensor's data: element count * element size (0 for unsupported types).
uint32_t TensorBytes(const EmberEvalTensor& t);

// What an OpObserver sees after each op of an Invoke().
struct OpObservation {
  int32_t op_index;
  const char* op_name;
  const EmberNode* node;
  const Interpreter* interpreter;
  // The op's j-th output tensor (j < node->num_outputs).
  const EmberEvalTensor* output(int32_t j) const;
};
using OpObserver = void (*)(void* user, const OpObservation& observation);

class Interpreter {
 public:
  // Single tenant: the interpreter owns the whole arena.
  Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
              uint8_t* arena, size_t arena_bytes, Profiler* profiler = nullptr);
  // Two memory banks: the nonpersistent head (planned tensors, scratch) and the
  // temporaries of AllocateTensors() in `arena`, the persistent tail (tensor records, op
  // data, variable tensors) in `persistent_arena`; e.g. activations in fast TCM and the
  // rest in ordinary SRAM. The blocks must not overlap. arena_usage() reports the smallest
  // working size of each (minimal_arena, minimal_persistent_arena).
  Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
              uint8_t* arena, size_t arena_bytes, uint8_t* persistent_arena,
              size_t persistent_arena_bytes, Profiler* profiler = nullptr);
  // A tenant of a shared arena (multi_tenant_arena.h).
  Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
              MultiTenantArena& shared_arena, Profiler* profiler = nullptr);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Before AllocateTensors(): which planner to use (default kGreedy).
  [[nodiscard]] EmberStatus SetPlanner(PlannerKind kind);
  // Before AllocateTensors(): whether model inputs stay valid through the whole
  // Invoke() (default true: they can be read back afterwards). false lets the planner
  // reuse an input's bytes after its last reader, as TFLM does (smaller head).
  [[nodiscard]] EmberStatus SetKeepInputsLive(bool keep);
  void SetOpObserver(OpObserver observer, void* user) {
    observer_ = observer;
    observer_user_ = user;
  }

  [[nodiscard]] EmberStatus AllocateTensors();
  [[nodiscard]] EmberStatus Invoke();
  // Zeroes every variable tensor (e.g. SVDF state), as after AllocateTensors().
  [[nodiscard]] EmberStatus ResetVariableTensors();

  // Full views (quantization included) of the model's inputs/outputs; nullptr (logged)
  // when out of range or before a successful AllocateTensors(). They live in the arena.
  EmberTensor* input(size_t i);
  EmberTensor* output(size_t i);
  // Invoke-time view (data, shape, type) of any tensor; nullptr when out of range or
  // before a successful AllocateTensors(). One 12-byte record per tensor (32-bit target)
  // is all the arena keeps of the tensors that are not model inputs/outputs.
  EmberEvalTensor* tensor(size_t i);
  const EmberEvalTensor* tensor(size_t i) const;
  // Full view of any tensor, read from the model (quantization included) with the data
  // pointer of tensor(i), into *out. Slower than tensor(i): for tools and tests.
  [[nodiscard]] EmberStatus tensor_view(size_t i, EmberTensor* out) const;
  // Subgraph tensor index of input i / output i (-1 when out of range).
  int32_t input_tensor_index(size_t i) const { return i < num_inputs_ ? inputs_[i] : -1; }
  int32_t output_tensor_index(size_t i) const { return i < num_outputs_ ? outputs_[i] : -1; }
  size_t inputs_size() const { return num_inputs_; }
  size_t outputs_size() const { return num_outputs_; }
  size_t tensors_size() const { return num_tensors_; }
  size_t operators_size() const { return num_ops_; }
  // Name of tensor i, read from the model ("" when it has none or i is out of range).
  const char* tensor_name(size_t i) const;
  const char* op_name(size_t op_index) const;
  const EmberNode* node(size_t op_index) const;
  // Byte offset of tensor i's data from the start of the nonpersistent head (the memory
  // plan), or -1 when the tensor is not planned there (constant, variable, unused, or
  // before a successful AllocateTensors()). `ember plan` writes these as the model's
  // OfflineMemoryAllocation metadata.
  int32_t planned_offset(size_t i) const;
  // Multiply-accumulates of one op per Invoke() (0 if the kernel does not count them).
  uint64_t op_macs(size_t op_index) const;
  bool allocated() const { return phase_ == Phase::kReady; }

  // Bytes of the arena this interpreter uses (persistent + its nonpersistent plan),
  // the breakdown, and the smallest working arena (see arena_usage.h). For a tenant of a
  // MultiTenantArena, minimal_arena is that of the shared arena so far. With a separate
  // persistent arena, minimal_arena_bytes() is that of the nonpersistent one and
  // minimal_persistent_arena_bytes() that of the persistent one.
  size_t arena_used_bytes() const { return usage_.total; }
  const ArenaUsage& arena_usage() const { return usage_; }
  size_t minimal_arena_bytes() const { return usage_.minimal_arena; }
  size_t minimal_persistent_arena_bytes() const { return usage_.minimal_persistent_arena; }

 private:
  friend struct KernelContextAccess;
  enum class Phase : uint8_t { kCreated, kInit, kPrepare, kPlanning, kReady, kFailed };
  enum class Kind : uint8_t { kTensorMetadata, kOpData, kVariableData };
  struct ScratchRequest {
    uint32_t bytes;
    int32_t op_index;
  };

  void InitContext();
  uint8_t* AllocatePersistent(size_t bytes, size_t alignment, Kind kind, const char* what);
  [[nodiscard]] EmberStatus AllocateAll();
  [[nodiscard]] EmberStatus ReadModel(const ModelReader& reader);
  [[nodiscard]] EmberStatus ResolveOps(const ModelReader& reader);
  [[nodiscard]] EmberStatus InitAndPrepareOps();
  [[nodiscard]] EmberStatus AllocateVariables();
  [[nodiscard]] EmberStatus PlanMemory();
  [[nodiscard]] bool NeedsPlanning(size_t t) const;
  void* TensorDataOf(size_t i) const { return eval_[i].data; }
  void SetTensorData(size_t i, void* data) { eval_[i].data = data; }
  uint32_t TensorBytesOf(size_t i) const;
  bool TensorIs(size_t i, uint8_t flag) const;  // kTensorConstant / kTensorVariable
  const char* TensorNameOf(size_t i) const;
  size_t TensorElementSize(size_t i) const;
  [[nodiscard]] EmberStatus ReadTensors(const ModelReader& reader);
  // Invoke-time view of tensor i; nullptr when out of range (also i < 0). Inline: kernels
  // call it for every tensor of every op.
  EmberEvalTensor* EvalView(int32_t i) {
    return static_cast<uint32_t>(i) < num_tensors_ ? &eval_[i] : nullptr;
  }
  // Full view of tensor i for a kernel's init/prepare (interpreter_views.cc): built from
  // the model into the view pool (temporaries), valid until the op's init/prepare returns.
  EmberTensor* PrepareView(int32_t i);
  // The view pool (before init) and its release (after prepare; scratch-buffer requests
  // made meanwhile move down to where the pool was).
  [[nodiscard]] EmberStatus AllocateViewPool();
  void ReleaseViewPool();
  // Input/output views from the model, with the eval records' data pointers.
  void RefreshIoViews();
  // Before each op's init/prepare: the op's pool views start from slot 0.
  void BeginOpViews() { pool_used_ = 0; }
  bool IsOutput(int32_t tensor) const;
  int16_t LastUse(int32_t tensor) const;  // last op that reads or writes it (0 if none)
  [[nodiscard]] EmberStatus CheckArenaTag() const;
  void LogArenaFailure(const char* what) const;

  const void* model_;
  size_t model_bytes_;
  const OpResolverInterface& resolver_;
  ArenaAllocator own_allocator_;
  ArenaAllocator* allocator_;
  MultiTenantArena* shared_ = nullptr;
  Profiler* profiler_;
  EmberContext context_{};
  OpObserver observer_ = nullptr;
  void* observer_user_ = nullptr;

  Phase phase_ = Phase::kCreated;
  PlannerKind planner_ = PlannerKind::kGreedy;
  bool keep_inputs_live_ = true;
  int32_t current_op_ = -1;       // op being initialised/prepared/invoked, else -1
  uint32_t reported_errors_ = 0;  // ReportError calls, to avoid logging twice

  ArenaTag* tag_ = nullptr;
  EmberEvalTensor* eval_ = nullptr;  // one per tensor (tail)
  EmberTensor* io_views_ = nullptr;  // num_inputs_ + num_outputs_ full views (tail)
  const ModelReader* reader_ = nullptr;  // during AllocateTensors() only
  EmberTensor* pool_ = nullptr;      // full views during init/prepare (temporaries)
  int32_t* pool_index_ = nullptr;    // which tensor each pool slot holds
  size_t pool_temp_start_ = 0;       // temp_size() before the pool
  uint16_t pool_slots_ = 0;
  uint16_t pool_used_ = 0;
  uint16_t pool_next_ = 0;  // round-robin victim once all slots are used in one op
  EmberNode* nodes_ = nullptr;
  const EmberRegistration** registrations_ = nullptr;
  uint8_t** scratch_ = nullptr;         // per scratch buffer, its place in the head
  ScratchRequest* requests_ = nullptr;  // temporaries, during prepare only
  const int32_t* offline_offsets_ = nullptr;
  const int32_t* inputs_ = nullptr;
  const int32_t* outputs_ = nullptr;
  size_t num_tensors_ = 0;
  size_t num_ops_ = 0;
  size_t num_inputs_ = 0;
  size_t num_outputs_ = 0;
  size_t num_scratch_ = 0;
  ArenaUsage usage_;
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_INTERPRETER_H_
