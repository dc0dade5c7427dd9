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
  if (io_views_ == nullptr) return;
  for (size_t k = 0; k < num_inputs_ + num_outputs_; ++k) {
    const int32_t t = k < num_inputs_ ? inputs_[k] : outputs_[k - num_inputs_];
    // While the model is read: the whole view (ReadTensors() has read every tensor
    // successfully, so this read cannot fail). Afterwards only the data pointers change
    // (the memory plan).
    if (reader_ != nullptr) (void)reader_->ReadTensor(static_cast<size_t>(t), &io_views_[k]);
    io_views_[k].data = eval_[t].data;
  }
}

EmberStatus Interpreter::AllocateViewPool() {
  size_t slots = 1;
  for (size_t i = 0; i < num_ops_; ++i) {
    const size_t n =
        static_cast<size_t>(nodes_[i].num_inputs) + static_cast<size_t>(nodes_[i].num_outputs);
    if (n > slots) slots = n;
  }
  // EmberNode counts are int16, so slots <= 65534.
  pool_temp_start_ = allocator_->temp_size();
  // The views, then which tensor each holds (int32 after EmberTensor keeps the alignment).
  static_assert(sizeof(EmberTensor) % alignof(int32_t) == 0, "pool layout");
  pool_ = reinterpret_cast<EmberTensor*>(allocator_->AllocateTemp(
      slots * (sizeof(EmberTensor) + sizeof(int32_t)), alignof(EmberTensor)));
  if (pool_ == nullptr) {
    LogArenaFailure("tensor views for prepare");
    return kEmberError;
  }
  pool_index_ = reinterpret_cast<int32_t*>(pool_ + slots);
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
  // pool_ is set only during init/prepare, and reader_ with it.
  if (static_cast<uint32_t>(i) >= num_tensors_ || pool_ == nullptr) return nullptr;
  uint16_t s = 0;
  while (s < pool_used_ && pool_index_[s] != i) ++s;
  if (s == pool_used_) {
    // A new view; with more distinct tensors than any op has, slots are reused in turn.
    s = pool_used_ < pool_slots_ ? pool_used_++ : static_cast<uint16_t>(pool_next_++ % pool_slots_);
    pool_index_[s] = i;
    // ReadTensors() read this tensor successfully: the read cannot fail.
    (void)reader_->ReadTensor(static_cast<size_t>(i), &pool_[s]);
    pool_[s].data = eval_[i].data;
  }
  return &pool_[s];
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
