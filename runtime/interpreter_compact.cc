// TensorViews::kOnDemand (interpreter.h): compact tensor records and views built on
// demand. A separate file so that firmware that never calls SetTensorViews() links none
// of it: the interpreter reaches this code only through compact_.
#include <stdint.h>

#include "runtime/interpreter.h"
#include "runtime/interpreter_internal.h"
#include "runtime/log.h"
#include "runtime/model_reader.h"
#include "runtime/status.h"

namespace ember::rt {
namespace {

constexpr size_t kStructAlignment = 8;  // as the other runtime tail blocks

}  // namespace

EmberStatus Interpreter::SetTensorViews(TensorViews views) {
  if (phase_ != Phase::kCreated) {
    EMBER_LOG("interpreter: SetTensorViews() must be called before AllocateTensors()");
    return kEmberError;
  }
  static const CompactViewOps kOps = {&CompactRead, &CompactView, &CompactRefresh};
  compact_ = views == TensorViews::kOnDemand ? &kOps : nullptr;
  return kEmberOk;
}

void ExpandTensor(const TensorRecord& r, EmberTensor* t) {
  t->data = r.data;
  t->dims = r.dims;
  t->num_dims = static_cast<uint8_t>(RecordNumDims(r));
  t->type = static_cast<EmberType>(r.type);
  t->bytes = RecordBytes(r);
  if (r.scales != nullptr) {
    t->quant.num_channels =
        static_cast<int16_t>(reinterpret_cast<const uint32_t*>(r.scales)[-1]);
    t->quant.quantized_dimension = r.quantized_dimension;
    t->quant.scale = r.scales[0];
    t->quant.zero_point = static_cast<int32_t>(r.zero_points[0]);
  } else {
    t->quant.num_channels = 0;
    t->quant.quantized_dimension = 0;
    t->quant.scale = 0.0f;
    t->quant.zero_point = 0;
  }
  t->quant.scales = r.scales;
  t->quant.zero_points = r.zero_points;
  t->is_constant = (r.flags & kTensorConstant) != 0;
  t->is_variable = (r.flags & kTensorVariable) != 0;
}

// i is a valid tensor index (Interpreter::View checked it).
EmberTensor* Interpreter::CompactView(Interpreter* self, int32_t i) {
  Interpreter& it = *self;
  if (it.records_ == nullptr) return nullptr;
  for (size_t k = 0; k < it.num_inputs_; ++k) {
    if (it.inputs_[k] == i) return &it.io_views_[k];
  }
  for (size_t k = 0; k < it.num_outputs_; ++k) {
    if (it.outputs_[k] == i) return &it.io_views_[it.num_inputs_ + k];
  }
  if (it.pool_slots_ == 0) return nullptr;  // before the pool exists (never for kernels)
  for (uint16_t s = 0; s < it.pool_used_; ++s) {
    if (it.pool_index_[s] == i) return &it.pool_[s];
  }
  uint16_t slot;
  if (it.pool_used_ < it.pool_slots_) {
    slot = it.pool_used_++;
  } else {  // more distinct tensors than any op has: reuse slots in turn
    slot = it.pool_next_;
    it.pool_next_ = static_cast<uint16_t>((it.pool_next_ + 1) % it.pool_slots_);
  }
  it.pool_index_[slot] = i;
  ExpandTensor(it.records_[i], &it.pool_[slot]);
  return &it.pool_[slot];
}

void Interpreter::CompactRefresh(Interpreter* self) {
  Interpreter& it = *self;
  if (it.records_ == nullptr || it.io_views_ == nullptr) return;
  for (size_t k = 0; k < it.num_inputs_; ++k) {
    ExpandTensor(it.records_[it.inputs_[k]], &it.io_views_[k]);
  }
  for (size_t k = 0; k < it.num_outputs_; ++k) {
    ExpandTensor(it.records_[it.outputs_[k]], &it.io_views_[it.num_inputs_ + k]);
  }
}

// The records, the input/output views and the view pool (tail, tensor metadata).
EmberStatus Interpreter::CompactRead(Interpreter* self, const ModelReader& reader) {
  Interpreter& it = *self;
  it.records_ = reinterpret_cast<TensorRecord*>(
      it.AllocatePersistent(AlignUp(it.num_tensors_ * sizeof(TensorRecord), kStructAlignment),
                            kStructAlignment, Kind::kTensorMetadata, "tensor records"));
  if (it.records_ == nullptr) return kEmberError;
  for (size_t i = 0; i < it.num_tensors_; ++i) {
    EmberTensor t;
    EMBER_RETURN_IF_ERROR(reader.ReadTensor(i, &t));
    TensorRecord& r = it.records_[i];
    r.data = t.data;
    r.dims = t.dims;
    r.scales = t.quant.num_channels > 0 ? t.quant.scales : nullptr;
    r.zero_points = t.quant.num_channels > 0 ? t.quant.zero_points : nullptr;
    r.type = static_cast<uint8_t>(t.type);
    r.element_size = static_cast<uint8_t>(ElementSize(t.type));
    r.flags = static_cast<uint8_t>((t.is_constant ? kTensorConstant : 0) |
                                   (t.is_variable ? kTensorVariable : 0));
    r.quantized_dimension = t.quant.quantized_dimension;  // ReadTensor() checked the range
  }
  const size_t io = it.num_inputs_ + it.num_outputs_;
  if (io > 0) {
    it.io_views_ = reinterpret_cast<EmberTensor*>(it.AllocatePersistent(
        io * sizeof(EmberTensor), kStructAlignment, Kind::kTensorMetadata, "input/output views"));
    if (it.io_views_ == nullptr) return kEmberError;
    CompactRefresh(self);
  }
  // Enough pool views for the op with the most tensors, plus one for callers of tensor().
  size_t slots = 1;
  for (size_t i = 0; i < it.num_ops_; ++i) {
    OperatorInfo info;
    EMBER_RETURN_IF_ERROR(reader.ReadOperator(i, &info));
    const size_t n =
        static_cast<size_t>(info.num_inputs) + static_cast<size_t>(info.num_outputs) + 1;
    if (n > slots) slots = n;
  }
  if (slots > 0xFFFF) {
    EMBER_LOG("model: an op has %zu tensors; ember supports up to 65534", slots - 1);
    return kEmberError;
  }
  it.pool_ = reinterpret_cast<EmberTensor*>(it.AllocatePersistent(
      slots * sizeof(EmberTensor), kStructAlignment, Kind::kTensorMetadata, "tensor view pool"));
  if (it.pool_ == nullptr) return kEmberError;
  it.pool_index_ = reinterpret_cast<int32_t*>(
      it.AllocatePersistent(AlignUp(slots * sizeof(int32_t), kStructAlignment), kStructAlignment,
                            Kind::kTensorMetadata, "tensor view pool"));
  if (it.pool_index_ == nullptr) return kEmberError;
  it.pool_slots_ = static_cast<uint16_t>(slots);
  return kEmberOk;
}

}  // namespace ember::rt
