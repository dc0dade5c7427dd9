// Interpreter::AllocateTensors(): model reading, op resolution, init/prepare, variable
// tensors. The memory plan is in interpreter_plan.cc.
#include <string.h>

#include "runtime/interpreter.h"
#include "runtime/interpreter_internal.h"
#include "runtime/log.h"
#include "runtime/model_reader.h"
#include "runtime/status.h"

namespace ember::rt {
namespace {

// Persistent allocations of the runtime's own structures: 8-byte alignment is enough
// for every field they hold (int64 zero points stay in the model).
constexpr size_t kStructAlignment = 8;

}  // namespace

EmberStatus Interpreter::AllocateTensors() {
  if (phase_ != Phase::kCreated) {
    EMBER_LOG("interpreter: AllocateTensors() may be called once (it %s)",
        phase_ == Phase::kFailed ? "already failed" : "already ran");
    return kEmberError;
  }
  if (shared_ != nullptr) {
    if (shared_->allocating_) {
      EMBER_LOG("multi-tenant arena: another tenant's AllocateTensors() is still running");
      phase_ = Phase::kFailed;
      return kEmberError;
    }
    shared_->allocating_ = true;
  }
  allocator_->ResetTemp();
  EmberStatus status = AllocateAll();
  allocator_->ResetTemp();
  pool_ = nullptr;  // temporaries, released
  pool_index_ = nullptr;
  pool_slots_ = 0;
  reader_ = nullptr;
  if (status == kEmberOk) RefreshIoViews();  // planned data pointers
  if (shared_ != nullptr) {
    shared_->allocating_ = false;
    if (status == kEmberOk) ++shared_->tenants_;
  }
  current_op_ = -1;
  usage_.minimal_arena = allocator_->minimal_arena_bytes();
  usage_.minimal_persistent_arena = allocator_->minimal_persistent_bytes();
  phase_ = status == kEmberOk ? Phase::kReady : Phase::kFailed;
  return status;
}

EmberStatus Interpreter::AllocateAll() {
  if (allocator_->capacity() == 0) {
    if (allocator_->split()) {
      EMBER_LOG("interpreter: no arena: the nonpersistent and persistent arenas must each hold at "
          "least %zu bytes after alignment and must not overlap", kArenaAlignment);
    } else {
      EMBER_LOG("interpreter: no arena (nullptr or fewer than %zu bytes after alignment)",
          kArenaAlignment);
    }
    return kEmberError;
  }
  ModelReader reader;
  EMBER_RETURN_IF_ERROR(reader.Open(model_, model_bytes_));
  reader_ = &reader;  // for views during init/prepare (cleared by AllocateTensors())
  tag_ = reinterpret_cast<ArenaTag*>(
      AllocatePersistent(sizeof(ArenaTag), kStructAlignment, Kind::kOpData, "arena tag"));
  if (tag_ == nullptr) return kEmberError;
  tag_->magic = kArenaTagMagic;
  tag_->owner = this;
  EMBER_RETURN_IF_ERROR(ReadModel(reader));
  EMBER_RETURN_IF_ERROR(ResolveOps(reader));
  EMBER_RETURN_IF_ERROR(AllocateViewPool());
  EMBER_RETURN_IF_ERROR(InitAndPrepareOps());
  ReleaseViewPool();
  EMBER_RETURN_IF_ERROR(AllocateVariables());
  if (planner_ == PlannerKind::kGreedy) {
    EMBER_RETURN_IF_ERROR(reader.OfflinePlan(&offline_offsets_));
  }
  return PlanMemory();
}

EmberStatus Interpreter::ReadModel(const ModelReader& reader) {
  num_tensors_ = reader.tensors_size();
  num_ops_ = reader.operators_size();
  num_inputs_ = reader.inputs_size();
  num_outputs_ = reader.outputs_size();
  inputs_ = reader.inputs();
  outputs_ = reader.outputs();
  return ReadTensors(reader);
}

// Tail: one EmberEvalTensor per tensor, then a full view per model input and output.
// Every tensor is read (and checked) once here; kernels' full views during init/prepare
// are read again from the model (interpreter_views.cc).
EmberStatus Interpreter::ReadTensors(const ModelReader& reader) {
  if (num_tensors_ == 0) return kEmberOk;
  eval_ = reinterpret_cast<EmberEvalTensor*>(
      AllocatePersistent(num_tensors_ * sizeof(EmberEvalTensor), kStructAlignment,
                         Kind::kTensorMetadata, "tensor records"));
  if (eval_ == nullptr) return kEmberError;
  for (size_t i = 0; i < num_tensors_; ++i) {
    EmberTensor t;
    EMBER_RETURN_IF_ERROR(reader.ReadTensor(i, &t));
    eval_[i] = EmberEvalTensor{t.data, t.dims, t.num_dims, t.type, t.is_constant, t.is_variable};
  }
  const size_t io = num_inputs_ + num_outputs_;
  if (io > 0) {
    io_views_ = reinterpret_cast<EmberTensor*>(AllocatePersistent(
        io * sizeof(EmberTensor), kStructAlignment, Kind::kTensorMetadata, "input/output views"));
    if (io_views_ == nullptr) return kEmberError;
    RefreshIoViews();
  }
  return kEmberOk;
}

EmberStatus Interpreter::ResolveOps(const ModelReader& reader) {
  if (num_ops_ == 0) return kEmberOk;
  nodes_ = reinterpret_cast<EmberNode*>(AllocatePersistent(
      num_ops_ * sizeof(EmberNode), kStructAlignment, Kind::kOpData, "op nodes"));
  if (nodes_ == nullptr) return kEmberError;
  registrations_ = reinterpret_cast<const EmberRegistration**>(AllocatePersistent(
      num_ops_ * sizeof(EmberRegistration*), kStructAlignment, Kind::kOpData, "op registrations"));
  if (registrations_ == nullptr) return kEmberError;
  memset(nodes_, 0, num_ops_ * sizeof(EmberNode));
  memset(registrations_, 0, num_ops_ * sizeof(EmberRegistration*));

  // The params allocator hands out op data from the tail.
  ParamsAllocator params_alloc{[](void* ctx, size_t bytes) -> void* {
                                 return static_cast<Interpreter*>(ctx)->AllocatePersistent(
                                     bytes, kStructAlignment, Kind::kOpData, "op options");
                               },
                               this};
  for (size_t i = 0; i < num_ops_; ++i) {
    current_op_ = static_cast<int32_t>(i);
    OperatorInfo info;
    EMBER_RETURN_IF_ERROR(reader.ReadOperator(i, &info));
    long version = static_cast<long>(info.version);
    if (info.custom_code != nullptr) {
      EMBER_LOG("op #%zu CUSTOM '%s' (version %ld): custom ops are not supported by ember", i,
          info.custom_code, version);
      return kEmberError;
    }
    if (!info.known) {
      EMBER_LOG("op #%zu: builtin op code %ld (version %ld) is unknown to ember's runtime (not in "
          "its schema); the model needs a newer runtime",
          i, static_cast<long>(info.builtin_code), version);
      return kEmberError;
    }
    const EmberRegistration* r = resolver_.FindBuiltin(info.builtin_code);
    if (r == nullptr) {
      EMBER_LOG("op #%zu %s (builtin code %ld, version %ld): not registered in the op resolver; "
          "add the op's kernel to the resolver",
          i, info.name, static_cast<long>(info.builtin_code), version);
      return kEmberError;
    }
    registrations_[i] = r;
    if (info.num_inputs > INT16_MAX || info.num_outputs > INT16_MAX) {
      EMBER_LOG("op #%zu %s: %ld inputs and %ld outputs; ember supports up to %d each", i, info.name,
          static_cast<long>(info.num_inputs), static_cast<long>(info.num_outputs), INT16_MAX);
      return kEmberError;
    }
    EmberNode& node = nodes_[i];
    node.inputs = info.inputs;
    node.num_inputs = static_cast<int16_t>(info.num_inputs);
    node.outputs = info.outputs;
    node.num_outputs = static_cast<int16_t>(info.num_outputs);
    node.op_index = static_cast<int32_t>(i);
    for (int32_t k = 0; k < node.num_outputs; ++k) {
      const size_t out = static_cast<size_t>(node.outputs[k]);
      if (TensorIs(out, kTensorConstant)) {  // kernels would write into the model (flash)
        EMBER_LOG("op #%zu %s: output %ld is tensor %ld '%s', which has constant data in the model", i,
            info.name, static_cast<long>(k), static_cast<long>(out), TensorNameOf(out));
        return kEmberError;
      }
    }
    EMBER_RETURN_IF_ERROR(reader.ParseOptions(i, info, params_alloc, &node.builtin_data));
  }
  current_op_ = -1;
  return kEmberOk;
}

EmberStatus Interpreter::InitAndPrepareOps() {
  phase_ = Phase::kInit;
  for (size_t i = 0; i < num_ops_; ++i) {
    current_op_ = static_cast<int32_t>(i);
    const EmberRegistration* r = registrations_[i];
    if (r->init == nullptr) continue;
    BeginOpViews();
    uint32_t errors_before = reported_errors_;
    nodes_[i].user_data = r->init(&context_, nodes_[i].builtin_data);
    if (reported_errors_ != errors_before) return kEmberError;  // reported by the kernel
  }
  phase_ = Phase::kPrepare;
  for (size_t i = 0; i < num_ops_; ++i) {
    current_op_ = static_cast<int32_t>(i);
    const EmberRegistration* r = registrations_[i];
    if (r->prepare == nullptr) continue;
    BeginOpViews();
    uint32_t errors_before = reported_errors_;
    if (r->prepare(&context_, &nodes_[i]) != kEmberOk) {
      if (reported_errors_ == errors_before) {
        EMBER_LOG("op #%zu %s: prepare failed (the kernel gave no reason)", i, op_name(i));
      }
      return kEmberError;
    }
  }
  current_op_ = -1;
  phase_ = Phase::kPlanning;
  return kEmberOk;
}

EmberStatus Interpreter::AllocateVariables() {
  for (size_t i = 0; i < num_tensors_; ++i) {
    const uint32_t bytes = TensorBytesOf(i);
    if (!TensorIs(i, kTensorVariable) || bytes == 0) continue;
    char what[96];
    FormatString(what, sizeof(what), "variable tensor %zu '%s'", i, TensorNameOf(i));
    void* data = AllocatePersistent(bytes, kArenaAlignment, Kind::kVariableData, what);
    if (data == nullptr) return kEmberError;
    memset(data, 0, bytes);
    SetTensorData(i, data);
  }
  return kEmberOk;
}

}  // namespace ember::rt
