// Full tensor views (EmberTensor) outside the per-tensor records: the persistent views of
// the model's inputs and outputs, and the views kernels get from GetTensor() during
// init/prepare, read from the model into a pool of temporaries.
//
// The arena keeps one 12-byte EmberEvalTensor per tensor (32-bit target) for invoke; the
// quantization parameters are read from the model only while the model is prepared
// (kernels copy what invoke needs into their op data). The pool holds as many views as
// the op with the most tensors has, so every view an op's init/prepare fetches stays valid
// until it returns; it is released after prepare, before the memory plan.
#include <string.h>

#include "runtime/interpreter.h"
#include "runtime/interpreter_internal.h"
#include "runtime/log.h"
#include "runtime/model_reader.h"
#include "runtime/status.h"

namespace ember::rt {

void Interpreter::RefreshIoViews() {
  if (io_views_ == nullptr || reader_ == nullptr) {
    // After AllocateTensors(): only the data pointers change (the memory plan).
    if (io_views_ == nullptr) return;
    for (size_t k = 0; k < num_inputs_; ++k) io_views_[k].data = eval_[inputs_[k]].data;
    for (size_t k = 0; k < num_outputs_; ++k) {
      io_views_[num_inputs_ + k].data = eval_[outputs_[k]].data;
    }
    return;
  }
  // ReadTensors() has read every tensor successfully: these reads cannot fail.
  for (size_t k = 0; k < num_inputs_; ++k) {
    if (reader_->ReadTensor(static_cast<size_t>(inputs_[k]), &io_views_[k]) != kEmberOk) return;
  }
  for (size_t k = 0; k < num_outputs_; ++k) {
    if (reader_->ReadTensor(static_cast<size_t>(outputs_[k]), &io_views_[num_inputs_ + k]) !=
        kEmberOk) {
      return;
    }
  }
}

EmberStatus Interpreter::AllocateViewPool() {
  size_t slots = 1;
  for (size_t i = 0; i < num_ops_; ++i) {
    const size_t n = static_cast<size_t>(nodes_[i].num_inputs) +
                     static_cast<size_t>(nodes_[i].num_outputs);
    if (n > slots) slots = n;
  }
  // EmberNode counts are int16, so slots <= 65534.
  pool_temp_start_ = allocator_->temp_size();
  pool_ = reinterpret_cast<EmberTensor*>(
      allocator_->AllocateTemp(slots * sizeof(EmberTensor), alignof(EmberTensor)));
  pool_index_ = reinterpret_cast<int32_t*>(
      allocator_->AllocateTemp(slots * sizeof(int32_t), alignof(int32_t)));
  if (pool_ == nullptr || pool_index_ == nullptr) {
    LogArenaFailure("tensor views for prepare");
    return kEmberError;
  }
  pool_slots_ = static_cast<uint16_t>(slots);
  pool_used_ = 0;
  pool_next_ = 0;
  return kEmberOk;
}

void Interpreter::ReleaseViewPool() {
  // Scratch-buffer requests were allocated above the pool: move them down to its start.
  const size_t n = num_scratch_;
  ScratchRequest* old = requests_;
  allocator_->ReleaseTempTo(pool_temp_start_);
  pool_ = nullptr;
  pool_index_ = nullptr;
  pool_slots_ = 0;
  if (n == 0) return;
  auto* moved = reinterpret_cast<ScratchRequest*>(
      allocator_->AllocateTemp(n * sizeof(ScratchRequest), alignof(ScratchRequest)));
  // Cannot fail: the same bytes were in use a moment ago, at a higher address.
  if (moved == nullptr) return;
  memmove(moved, old, n * sizeof(ScratchRequest));
  requests_ = moved;
}

EmberTensor* Interpreter::PrepareView(int32_t i) {
  if (static_cast<uint32_t>(i) >= num_tensors_ || pool_ == nullptr || reader_ == nullptr) {
    return nullptr;
  }
  for (uint16_t s = 0; s < pool_used_; ++s) {
    if (pool_index_[s] == i) return &pool_[s];
  }
  uint16_t slot;
  if (pool_used_ < pool_slots_) {
    slot = pool_used_++;
  } else {  // more distinct tensors than any op has: reuse slots in turn
    slot = pool_next_;
    pool_next_ = static_cast<uint16_t>((pool_next_ + 1) % pool_slots_);
  }
  pool_index_[slot] = i;
  // ReadTensors() read this tensor successfully: the read cannot fail.
  if (reader_->ReadTensor(static_cast<size_t>(i), &pool_[slot]) != kEmberOk) return nullptr;
  pool_[slot].data = eval_[i].data;
  return &pool_[slot];
}

EmberStatus Interpreter::tensor_view(size_t i, EmberTensor* out) const {
  if (phase_ != Phase::kReady) {
    EMBER_LOG("interpreter: tensor_view(%zu) before a successful AllocateTensors()", i);
    return kEmberError;
  }
  if (i >= num_tensors_ || out == nullptr) {
    EMBER_LOG("interpreter: tensor_view(%zu) out of range: the model has %zu tensors", i,
              num_tensors_);
    return kEmberError;
  }
  ModelReader reader;
  EMBER_RETURN_IF_ERROR(reader.Open(model_, model_bytes_));
  EMBER_RETURN_IF_ERROR(reader.ReadTensor(i, out));
  out->data = eval_[i].data;
  return kEmberOk;
}

}  // namespace ember::rt
