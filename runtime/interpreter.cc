// Interpreter: construction, accessors and Invoke(). AllocateTensors() is in
// interpreter_allocate.cc, memory planning in interpreter_plan.cc.
#include "runtime/interpreter.h"

#include <string.h>

#include "runtime/interpreter_internal.h"
#include "runtime/log.h"
#include "runtime/model_reader.h"
#include "runtime/status.h"

namespace ember::rt {

const EmberEvalTensor* OpObservation::output(int32_t j) const {
  if (node == nullptr || j < 0 || j >= node->num_outputs) return nullptr;
  return interpreter->tensor(static_cast<size_t>(node->outputs[j]));
}

Interpreter::Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
                         uint8_t* arena, size_t arena_bytes, Profiler* profiler)
    : model_(model),
      model_bytes_(model_bytes),
      resolver_(resolver),
      own_allocator_(arena, arena_bytes),
      allocator_(&own_allocator_),
      profiler_(profiler) {
  InstallKernelContext(&context_, this);
}

Interpreter::Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
                         uint8_t* arena, size_t arena_bytes, uint8_t* persistent_arena,
                         size_t persistent_arena_bytes, Profiler* profiler)
    : model_(model),
      model_bytes_(model_bytes),
      resolver_(resolver),
      own_allocator_(arena, arena_bytes, persistent_arena, persistent_arena_bytes),
      allocator_(&own_allocator_),
      profiler_(profiler) {
  InstallKernelContext(&context_, this);
}

Interpreter::Interpreter(const void* model, size_t model_bytes, const OpResolverInterface& resolver,
                         MultiTenantArena& shared_arena, Profiler* profiler)
    : model_(model),
      model_bytes_(model_bytes),
      resolver_(resolver),
      own_allocator_(nullptr, 0),
      allocator_(&shared_arena.allocator_),
      shared_(&shared_arena),
      profiler_(profiler) {
  InstallKernelContext(&context_, this);
}

Interpreter::~Interpreter() {
  if (nodes_ == nullptr || registrations_ == nullptr) return;
  // Op data lives in the arena: when another interpreter has overwritten it (arena
  // misuse, reported at Invoke), the kernels' free functions must not see garbage.
  if (tag_ == nullptr || tag_->magic != kArenaTagMagic || tag_->owner != this) return;
  for (size_t i = 0; i < num_ops_; ++i) {
    const EmberRegistration* r = registrations_[i];
    if (r != nullptr && r->free != nullptr && nodes_[i].user_data != nullptr) {
      current_op_ = static_cast<int32_t>(i);
      r->free(&context_, nodes_[i].user_data);
    }
  }
}

EmberStatus Interpreter::SetPlanner(PlannerKind kind) {
  if (phase_ != Phase::kCreated) {
    EMBER_LOG("interpreter: SetPlanner() must be called before AllocateTensors()");
    return kEmberError;
  }
  planner_ = kind;
  return kEmberOk;
}

EmberStatus Interpreter::SetKeepInputsLive(bool keep) {
  if (phase_ != Phase::kCreated) {
    EMBER_LOG("interpreter: SetKeepInputsLive() must be called before AllocateTensors()");
    return kEmberError;
  }
  keep_inputs_live_ = keep;
  return kEmberOk;
}

uint32_t TensorBytes(const EmberEvalTensor& t) {
  // ReadTensor() checked that the count fits in 31 bits once multiplied by the size.
  uint32_t count = 1;
  for (int32_t d = 0; d < t.num_dims; ++d) count *= static_cast<uint32_t>(t.dims[d]);
  return count * static_cast<uint32_t>(ElementSize(t.type));
}

uint32_t Interpreter::TensorBytesOf(size_t i) const { return TensorBytes(eval_[i]); }

bool Interpreter::TensorIs(size_t i, uint8_t flag) const {
  return flag == kTensorConstant ? eval_[i].is_constant != 0 : eval_[i].is_variable != 0;
}

// The packed layouts of kernel_api.h (the per-tensor metadata cost in every arena).
static_assert(sizeof(void*) != 4 || sizeof(EmberEvalTensor) == 12, "EmberEvalTensor: 12 bytes");
static_assert(sizeof(void*) != 4 || sizeof(EmberTensor) == 36, "EmberTensor is 36 bytes");
static_assert(sizeof(void*) != 4 || sizeof(EmberNode) == 24, "EmberNode is 24 bytes");

const char* Interpreter::TensorNameOf(size_t i) const { return ModelTensorName(model_, i); }

const char* Interpreter::tensor_name(size_t i) const {
  return i < num_tensors_ ? TensorNameOf(i) : "";
}

size_t Interpreter::TensorElementSize(size_t i) const { return ElementSize(eval_[i].type); }

uint8_t* Interpreter::AllocatePersistent(size_t bytes, size_t alignment, Kind kind,
                                         const char* what) {
  size_t before = allocator_->tail_size();
  uint8_t* p = allocator_->AllocatePersistent(bytes, alignment);
  if (p == nullptr) {
    LogArenaFailure(what);
    return nullptr;
  }
  size_t grown = allocator_->tail_size() - before;
  switch (kind) {
    case Kind::kTensorMetadata:
      usage_.tensor_metadata += grown;
      break;
    case Kind::kOpData:
      usage_.op_data += grown;
      break;
    case Kind::kVariableData:
      usage_.variable_tensor_data += grown;
      break;
  }
  usage_.persistent += grown;
  return p;
}

void Interpreter::LogArenaFailure(const char* what) const {
  const ArenaAllocator::Failure& f = allocator_->failure();
  char where[64] = "";
  if (current_op_ >= 0) {
    FormatString(where, sizeof(where), " for op #%ld %s", static_cast<long>(current_op_),
                 op_name(static_cast<size_t>(current_op_)));
  }
  // Split arenas (two memory banks) name the block that was too small.
  const char* block = f.persistent_block ? "persistent " : allocator_->split() ? "nonpersistent " : "";
  EMBER_LOG("%sarena too small: %s%s needs %zu bytes, %zu available (%sarena %zu bytes; at least "
      "%zu needed so far)",
      f.persistent_block ? block : "", what, where, f.requested, f.available, block,
      f.persistent_block ? allocator_->persistent_capacity() : allocator_->capacity(),
      f.needed_total);
}

EmberStatus Interpreter::CheckArenaTag() const {
  if (tag_ == nullptr || tag_->magic != kArenaTagMagic || tag_->owner != this) {
    EMBER_LOG("interpreter: its persistent arena memory was overwritten: another interpreter was "
        "given the same arena. Share one arena between interpreters with MultiTenantArena.");
    return kEmberError;
  }
  return kEmberOk;
}

const char* Interpreter::op_name(size_t op_index) const {
  if (registrations_ == nullptr || op_index >= num_ops_ || registrations_[op_index] == nullptr) {
    return "?";
  }
  return registrations_[op_index]->name != nullptr ? registrations_[op_index]->name : "?";
}

const EmberNode* Interpreter::node(size_t op_index) const {
  if (nodes_ == nullptr || op_index >= num_ops_) return nullptr;
  return &nodes_[op_index];
}

int32_t Interpreter::planned_offset(size_t i) const {
  if (phase_ != Phase::kReady || i >= num_tensors_) return -1;
  const void* data = TensorDataOf(i);
  if (!NeedsPlanning(i) || data == nullptr) return -1;
  return static_cast<int32_t>(static_cast<const uint8_t*>(data) - allocator_->head());
}

uint64_t Interpreter::op_macs(size_t op_index) const {
  if (phase_ != Phase::kReady || op_index >= num_ops_) return 0;
  const EmberRegistration* r = registrations_[op_index];
  return r->count_macs != nullptr ? r->count_macs(&context_, &nodes_[op_index]) : 0;
}

const EmberEvalTensor* Interpreter::tensor(size_t i) const {
  return const_cast<Interpreter*>(this)->tensor(i);
}

EmberEvalTensor* Interpreter::tensor(size_t i) {
  if (phase_ != Phase::kReady || i >= num_tensors_) return nullptr;
  return EvalView(static_cast<int32_t>(i));
}

EmberTensor* Interpreter::input(size_t i) {
  if (phase_ != Phase::kReady) {
    EMBER_LOG("interpreter: input(%zu) before a successful AllocateTensors()", i);
    return nullptr;
  }
  if (i >= num_inputs_) {
    EMBER_LOG("interpreter: input(%zu) out of range: the model has %zu inputs", i, num_inputs_);
    return nullptr;
  }
  return &io_views_[i];
}

EmberTensor* Interpreter::output(size_t i) {
  if (phase_ != Phase::kReady) {
    EMBER_LOG("interpreter: output(%zu) before a successful AllocateTensors()", i);
    return nullptr;
  }
  if (i >= num_outputs_) {
    EMBER_LOG("interpreter: output(%zu) out of range: the model has %zu outputs", i, num_outputs_);
    return nullptr;
  }
  return &io_views_[num_inputs_ + i];
}

EmberStatus Interpreter::ResetVariableTensors() {
  if (phase_ != Phase::kReady) {
    EMBER_LOG("interpreter: ResetVariableTensors() before a successful AllocateTensors()");
    return kEmberError;
  }
  for (size_t i = 0; i < num_tensors_; ++i) {
    if (TensorIs(i, kTensorVariable) && TensorDataOf(i) != nullptr) {
      memset(TensorDataOf(i), 0, TensorBytesOf(i));
    }
  }
  return kEmberOk;
}

EmberStatus Interpreter::Invoke() {
  if (phase_ != Phase::kReady) {
    EMBER_LOG("interpreter: Invoke() before a successful AllocateTensors()");
    return kEmberError;
  }
  EMBER_RETURN_IF_ERROR(CheckArenaTag());
  int32_t invoke_event = -1;
  if (profiler_ != nullptr) {
    profiler_->ClearEvents();
    invoke_event = profiler_->BeginEvent("Invoke", -1);
  }
  EmberStatus status = kEmberOk;
  for (size_t i = 0; i < num_ops_; ++i) {
    const EmberRegistration* r = registrations_[i];
    current_op_ = static_cast<int32_t>(i);
    uint32_t errors_before = reported_errors_;
    int32_t op_event = -1;
    if (profiler_ != nullptr) op_event = profiler_->BeginEvent(r->name, current_op_);
    status = r->invoke(&context_, &nodes_[i]);
    if (profiler_ != nullptr) profiler_->EndEvent(op_event);
    if (reported_errors_ != errors_before) status = kEmberError;  // reported, yet returned ok
    if (status != kEmberOk) {
      if (reported_errors_ == errors_before) {
        EMBER_LOG("op #%zu %s: invoke failed (the kernel gave no reason)", i, op_name(i));
      }
      break;
    }
    if (observer_ != nullptr) {
      OpObservation observation{current_op_, op_name(i), &nodes_[i], this};
      observer_(observer_user_, observation);
    }
  }
  current_op_ = -1;
  if (profiler_ != nullptr) profiler_->EndEvent(invoke_event);
  return status;
}

}  // namespace ember::rt
