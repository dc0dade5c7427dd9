// Interpreter::PlanMemory(): places every non-constant, non-variable tensor and every
// scratch buffer in the nonpersistent head.
//
// Lifetimes come from the op order: a tensor lives from the first op that reads or
// writes it to the last one; model inputs live from 0 to the last op (to their last reader
// with SetKeepInputsLive(false)) and model outputs from the op that writes them to the last
// op (they are read after Invoke(); before their producer runs they hold nothing);
// a scratch buffer lives during its op only. Working arrays are temporaries:
//   requests_ (ScratchRequest, from prepare) | buffers (PlannerBuffer) | owner (uint16)
//   | tensor -> buffer map (uint16) | greedy planner scratch (2 x uint16 per buffer)
// all released before the head is committed.
#include "runtime/interpreter.h"
#include "runtime/interpreter_internal.h"
#include "runtime/log.h"
#include "runtime/memory_planner/greedy_planner.h"
#include "runtime/memory_planner/linear_planner.h"
#include "runtime/model_reader.h"
#include "runtime/status.h"

namespace ember::rt {
namespace {

constexpr uint16_t kNotPlanned = 0xFFFF;

}  // namespace

bool Interpreter::IsOutput(int32_t tensor) const {
  for (size_t k = 0; k < num_outputs_; ++k) {
    if (outputs_[k] == tensor) return true;
  }
  return false;
}

int16_t Interpreter::LastUse(int32_t tensor) const {
  int16_t last = 0;
  for (size_t i = 0; i < num_ops_; ++i) {
    const EmberNode& n = nodes_[i];
    for (int32_t k = 0; k < n.num_inputs; ++k) {
      if (n.inputs[k] == tensor) last = static_cast<int16_t>(i);
    }
    for (int32_t k = 0; k < n.num_outputs; ++k) {
      if (n.outputs[k] == tensor) last = static_cast<int16_t>(i);
    }
  }
  return last;
}

bool Interpreter::NeedsPlanning(size_t t) const {
  return !TensorIs(t, kTensorConstant) && !TensorIs(t, kTensorVariable) && TensorBytesOf(t) > 0;
}

EmberStatus Interpreter::PlanMemory() {
  // Scratch pointers live as long as the interpreter (fetched in invoke).
  if (num_scratch_ > 0) {
    scratch_ = reinterpret_cast<uint8_t**>(AllocatePersistent(
        num_scratch_ * sizeof(uint8_t*), 8, Kind::kOpData, "scratch buffer table"));
    if (scratch_ == nullptr) return kEmberError;
  }
  // The last persistent block: end this interpreter's tail on a 16-byte boundary, so that
  // a tenant stacked below it in a shared arena pads exactly as it would alone.
  if (AllocatePersistent(0, kArenaAlignment, Kind::kOpData, "tail alignment") == nullptr) {
    return kEmberError;
  }
  size_t temp_before = allocator_->temp_size();
  uint16_t* tensor_buffer = reinterpret_cast<uint16_t*>(
      allocator_->AllocateTemp(num_tensors_ * sizeof(uint16_t), alignof(uint16_t)));
  if (tensor_buffer == nullptr && num_tensors_ > 0) {
    LogArenaFailure("memory planner");
    return kEmberError;
  }
  // Which tensors are used at all, and their buffer numbers.
  const int32_t last_op = num_ops_ > 0 ? static_cast<int32_t>(num_ops_) - 1 : 0;
  for (size_t t = 0; t < num_tensors_; ++t) tensor_buffer[t] = kNotPlanned;
  size_t num_buffers = 0;
  auto mark = [&](int32_t t) {
    if (t >= 0 && tensor_buffer[t] == kNotPlanned && NeedsPlanning(static_cast<size_t>(t))) {
      tensor_buffer[t] = static_cast<uint16_t>(num_buffers++);
    }
  };
  for (size_t k = 0; k < num_inputs_; ++k) mark(inputs_[k]);
  for (size_t k = 0; k < num_outputs_; ++k) mark(outputs_[k]);
  for (size_t i = 0; i < num_ops_; ++i) {
    for (int32_t k = 0; k < nodes_[i].num_inputs; ++k) mark(nodes_[i].inputs[k]);
    for (int32_t k = 0; k < nodes_[i].num_outputs; ++k) mark(nodes_[i].outputs[k]);
  }
  const size_t num_tensor_buffers = num_buffers;
  num_buffers += num_scratch_;
  usage_.planned_buffers = num_buffers;

  PlannerBuffer* buffers = reinterpret_cast<PlannerBuffer*>(
      allocator_->AllocateTemp(num_buffers * sizeof(PlannerBuffer), alignof(PlannerBuffer)));
  uint16_t* owner = reinterpret_cast<uint16_t*>(
      allocator_->AllocateTemp(num_buffers * sizeof(uint16_t), alignof(uint16_t)));
  uint16_t* greedy_scratch = reinterpret_cast<uint16_t*>(
      allocator_->AllocateTemp(GreedyPlanScratchBytes(num_buffers), alignof(uint16_t)));
  if (num_buffers > 0 && (buffers == nullptr || owner == nullptr || greedy_scratch == nullptr)) {
    LogArenaFailure("memory planner");
    return kEmberError;
  }
  usage_.planner = allocator_->temp_size() - temp_before;

  for (size_t t = 0; t < num_tensors_; ++t) {
    if (tensor_buffer[t] == kNotPlanned) continue;
    PlannerBuffer& b = buffers[tensor_buffer[t]];
    owner[tensor_buffer[t]] = static_cast<uint16_t>(t);
    b.size = TensorBytesOf(t);
    b.first_op = INT16_MAX;
    b.last_op = -1;
    b.offset = kOnlinePlanned;
    if (offline_offsets_ != nullptr && offline_offsets_[t] >= 0) {
      size_t element = TensorElementSize(t);
      if (offline_offsets_[t] % element != 0) {
        EMBER_LOG("model: OfflineMemoryAllocation offset %ld of tensor %zu '%s' is not aligned "
            "to its %zu-byte elements",
            static_cast<long>(offline_offsets_[t]), t, TensorNameOf(t), element);
        return kEmberError;
      }
      b.offset = offline_offsets_[t];
      usage_.offline_plan = true;
    }
  }
  auto touch = [&](int32_t t, int32_t op) {
    if (t < 0 || tensor_buffer[t] == kNotPlanned) return;
    PlannerBuffer& b = buffers[tensor_buffer[t]];
    if (op < b.first_op) b.first_op = static_cast<int16_t>(op);
    if (op > b.last_op) b.last_op = static_cast<int16_t>(op);
  };
  for (size_t k = 0; k < num_inputs_; ++k) {
    touch(inputs_[k], 0);  // written by the caller before the first op
    if (keep_inputs_live_) touch(inputs_[k], last_op);
  }
  for (size_t k = 0; k < num_outputs_; ++k) touch(outputs_[k], last_op);
  for (size_t i = 0; i < num_ops_; ++i) {
    int32_t op = static_cast<int32_t>(i);
    for (int32_t k = 0; k < nodes_[i].num_inputs; ++k) touch(nodes_[i].inputs[k], op);
    for (int32_t k = 0; k < nodes_[i].num_outputs; ++k) touch(nodes_[i].outputs[k], op);
  }
  for (size_t s = 0; s < num_scratch_; ++s) {
    PlannerBuffer& b = buffers[num_tensor_buffers + s];
    owner[num_tensor_buffers + s] = static_cast<uint16_t>(s);
    b.size = requests_[s].bytes;
    b.first_op = b.last_op = static_cast<int16_t>(requests_[s].op_index);
    b.offset = kOnlinePlanned;
    usage_.scratch_requested += requests_[s].bytes;
  }

  // The plan of the tensors alone gives the "tensor data" figure; the full plan's
  // extra bytes are what the scratch buffers cost. (Planning twice costs time, not memory.)
  auto plan = [&](size_t count, size_t* x, size_t* y) {
    for (size_t i = 0; i < count; ++i) {
      int32_t t = i < num_tensor_buffers ? owner[i] : -1;
      buffers[i].offset = (t >= 0 && offline_offsets_ != nullptr && offline_offsets_[t] >= 0)
                              ? offline_offsets_[t]
                              : kOnlinePlanned;
    }
    EmberStatus s = planner_ == PlannerKind::kLinear
                        ? LinearPlan(buffers, count, kArenaAlignment)
                        : GreedyPlan(buffers, count, kArenaAlignment, greedy_scratch, x, y);
    return s == kEmberOk ? VerifyPlan(buffers, count, x, y) : s;
  };
  size_t a = 0, b = 0;
  // What the plan would need if inputs were reused after their last reader: plan once
  // with the inputs' lifetimes cut there (then restore them).
  size_t plan_reusing_inputs = 0;
  if (keep_inputs_live_) {
    for (size_t k = 0; k < num_inputs_; ++k) {
      uint16_t i = tensor_buffer[inputs_[k]];
      if (i != kNotPlanned && !IsOutput(inputs_[k])) buffers[i].last_op = LastUse(inputs_[k]);
    }
    if (plan(num_buffers, &a, &b) == kEmberOk) plan_reusing_inputs = PlanSize(buffers, num_buffers);
    for (size_t k = 0; k < num_inputs_; ++k) {
      uint16_t i = tensor_buffer[inputs_[k]];
      if (i != kNotPlanned) buffers[i].last_op = static_cast<int16_t>(last_op);
    }
  }
  size_t tensor_only_bytes = 0;
  EmberStatus status = plan(num_tensor_buffers, &a, &b);
  if (status == kEmberOk) {
    tensor_only_bytes = PlanSize(buffers, num_tensor_buffers);
    status = plan(num_buffers, &a, &b);
  }
  if (status != kEmberOk) {
    if (a < num_tensor_buffers && b < num_tensor_buffers) {
      const PlannerBuffer& x = buffers[a];
      const PlannerBuffer& y = buffers[b];
      EMBER_LOG("memory plan: tensor %u '%s' (offset %ld, %lu bytes, ops %ld-%ld) and tensor %u "
          "'%s' (offset %ld, %lu bytes, ops %ld-%ld) overlap while both are live%s",
          owner[a], TensorNameOf(owner[a]), static_cast<long>(x.offset),
          static_cast<unsigned long>(x.size), static_cast<long>(x.first_op),
          static_cast<long>(x.last_op), owner[b], TensorNameOf(owner[b]),
          static_cast<long>(y.offset), static_cast<unsigned long>(y.size),
          static_cast<long>(y.first_op), static_cast<long>(y.last_op),
          usage_.offline_plan ? " (offsets from OfflineMemoryAllocation)" : "");
    } else {
      EMBER_LOG("memory plan: planning %zu buffers failed (buffers %zu and %zu conflict)", num_buffers, a,
          b);
    }
    return kEmberError;
  }

  const size_t plan_bytes = PlanSize(buffers, num_buffers);
  usage_.scratch =
      AlignUp(plan_bytes, kArenaAlignment) - AlignUp(tensor_only_bytes, kArenaAlignment);
  uint8_t* head = allocator_->head();
  for (size_t i = 0; i < num_buffers; ++i) {
    uint8_t* p = head + buffers[i].offset;
    if (i < num_tensor_buffers) {
      SetTensorData(owner[i], p);
    } else {
      scratch_[owner[i]] = p;
    }
  }
  allocator_->ResetTemp();
  requests_ = nullptr;
  if (allocator_->CommitHead(plan_bytes) != kEmberOk) {
    LogArenaFailure("the nonpersistent tensor plan");
    return kEmberError;
  }
  usage_.nonpersistent = AlignUp(plan_bytes, kArenaAlignment);
  usage_.tensor_data = usage_.nonpersistent - usage_.scratch;
  usage_.total = usage_.persistent + usage_.nonpersistent;
  usage_.nonpersistent_reusing_inputs = keep_inputs_live_ && plan_reusing_inputs > 0
                                            ? AlignUp(plan_reusing_inputs, kArenaAlignment)
                                            : usage_.nonpersistent;
  usage_.total_reusing_inputs = usage_.persistent + usage_.nonpersistent_reusing_inputs;
  return kEmberOk;
}

}  // namespace ember::rt
