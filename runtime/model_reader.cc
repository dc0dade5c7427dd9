#include "runtime/model_reader.h"

#include <string.h>

#include "runtime/log.h"
#include "runtime/model_verifier.h"
#include "runtime/schema/ember_schema_generated.h"

static_assert(FLATBUFFERS_LITTLEENDIAN,
              "ember reads model arrays in place and needs a little-endian target");

namespace ember::rt {
namespace {

namespace fb = ::flatbuffers;
namespace sc = ::ember::schema;

// A scalar shape (no dims) still needs a valid pointer. Like a FlatBuffers vector, it is
// preceded by its element count (0), so that dims[-1] is a shape's length for every tensor.
const int32_t kNoDimsVector[2] = {0, 0};
const int32_t* const kNoDims = kNoDimsVector + 1;

const char* TensorName(const sc::Tensor* t) {
  return (t != nullptr && t->name() != nullptr) ? t->name()->c_str() : "";
}

}  // namespace

const char* ModelTensorName(const void* model, size_t index) {
  if (model == nullptr) return "";
  const sc::Model* m = sc::GetModel(model);
  if (m->subgraphs() == nullptr || m->subgraphs()->size() == 0) return "";
  const fb::Vector<fb::Offset<sc::Tensor>>* tensors = m->subgraphs()->Get(0)->tensors();
  if (tensors == nullptr || index >= tensors->size()) return "";
  return TensorName(tensors->Get(static_cast<fb::uoffset_t>(index)));
}

namespace {

// Limits of the packed EmberTensor fields (kernel_api.h).
constexpr size_t kMaxDims = 255;
constexpr size_t kMaxChannels = 32767;

template <typename T>
size_t VecSize(const fb::Vector<T>* v) {
  return v == nullptr ? 0 : v->size();
}

}  // namespace

const char* BuiltinOpName(int32_t code) {
  if (code < 0 || code > static_cast<int32_t>(sc::BuiltinOperator::MAX)) return "";
  return sc::EnumNameBuiltinOperator(static_cast<sc::BuiltinOperator>(code));
}

const char* TypeName(int32_t type) {
  if (type < 0 || type > static_cast<int32_t>(sc::TensorType::MAX)) return "UNKNOWN";
  return sc::EnumNameTensorType(static_cast<sc::TensorType>(type));
}

size_t ElementSize(EmberType type) {
  switch (type) {
    case kEmberFloat32:
    case kEmberInt32:
      return 4;
    case kEmberInt16:
      return 2;
    case kEmberInt8:
    case kEmberUInt8:
    case kEmberBool:
      return 1;
    case kEmberInt64:
      return 8;
    default:
      return 0;  // FLOAT16, STRING, COMPLEX64, FLOAT64, ...: not supported
  }
}

EmberStatus ModelReader::Open(const void* model, size_t bytes) {
  if (model == nullptr) {
    EMBER_LOG("model: no model buffer given (nullptr)");
    return kEmberError;
  }
  const uint8_t* data = static_cast<const uint8_t*>(model);
  if (bytes < 8) {
    EMBER_LOG("model: %zu bytes is too small to be a .tflite file (truncated?)", bytes);
    return kEmberError;
  }
  if (bytes >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    EMBER_LOG("model: %zu bytes is larger than FlatBuffers can address", bytes);
    return kEmberError;
  }
  if (!sc::ModelBufferHasIdentifier(data)) {
    char id[5] = {0};
    for (int i = 0; i < 4; ++i) {
      char c = static_cast<char>(data[4 + i]);
      id[i] = (c >= 32 && c < 127) ? c : '?';
    }
    EMBER_LOG("model: file identifier is \"%s\", expected \"TFL3\" (not a TensorFlow Lite model)", id);
    return kEmberError;
  }
  if (!VerifyModelBytes(data, bytes)) {
    EMBER_LOG("model: FlatBuffers verification failed: the file is truncated or corrupted "
        "(%zu bytes)",
        bytes);
    return kEmberError;
  }
  model_ = sc::GetModel(data);
  size_t subgraphs = VecSize(model_->subgraphs());
  if (subgraphs != 1) {
    EMBER_LOG("model: has %zu subgraphs; ember supports exactly one (control flow ops and "
        "multi-signature models are unsupported)",
        subgraphs);
    return kEmberError;
  }
  subgraph_ = model_->subgraphs()->Get(0);
  num_tensors_ = VecSize(subgraph_->tensors());
  num_operators_ = VecSize(subgraph_->operators());
  num_inputs_ = VecSize(subgraph_->inputs());
  num_outputs_ = VecSize(subgraph_->outputs());
  inputs_ = num_inputs_ ? subgraph_->inputs()->data() : kNoDims;
  outputs_ = num_outputs_ ? subgraph_->outputs()->data() : kNoDims;
  if (num_tensors_ > 0xFFFF || num_operators_ > 0x7FFF) {
    EMBER_LOG("model: %zu tensors / %zu operators is more than ember supports (65535 / 32767)",
        num_tensors_, num_operators_);
    return kEmberError;
  }
  return CheckIndices();
}

EmberStatus ModelReader::CheckIndices() const {
  const int32_t num_tensors = static_cast<int32_t>(num_tensors_);
  const size_t num_buffers = VecSize(model_->buffers());
  const size_t num_codes = VecSize(model_->operator_codes());
  for (size_t i = 0; i < num_buffers; ++i) {
    if (model_->buffers()->Get(i)->offset() > 1) {
      EMBER_LOG("model: buffer %zu is stored outside the flatbuffer (offset %llu): models over "
          "2 GB are unsupported",
          i, static_cast<unsigned long long>(model_->buffers()->Get(i)->offset()));
      return kEmberError;
    }
  }
  for (size_t i = 0; i < num_tensors_; ++i) {
    const sc::Tensor* t = subgraph_->tensors()->Get(i);
    if (t->buffer() >= num_buffers) {
      EMBER_LOG("model: tensor %zu '%s' refers to buffer %u, but the model has %zu buffers", i,
          TensorName(t), static_cast<unsigned>(t->buffer()), num_buffers);
      return kEmberError;
    }
  }
  for (size_t i = 0; i < num_inputs_ + num_outputs_; ++i) {
    bool is_input = i < num_inputs_;
    int32_t t = is_input ? inputs_[i] : outputs_[i - num_inputs_];
    if (t < 0 || t >= num_tensors) {
      EMBER_LOG("model: subgraph %s %zu is tensor %ld, out of range (the model has %ld tensors)",
          is_input ? "input" : "output", is_input ? i : i - num_inputs_, static_cast<long>(t),
          static_cast<long>(num_tensors));
      return kEmberError;
    }
  }
  for (size_t op = 0; op < num_operators_; ++op) {
    const sc::Operator* o = subgraph_->operators()->Get(op);
    if (o->opcode_index() >= num_codes) {
      EMBER_LOG("model: op #%zu uses operator code %u, but the model has %zu operator codes", op,
          static_cast<unsigned>(o->opcode_index()), num_codes);
      return kEmberError;
    }
    for (int side = 0; side < 2; ++side) {
      const fb::Vector<int32_t>* list = side == 0 ? o->inputs() : o->outputs();
      for (size_t k = 0; k < VecSize(list); ++k) {
        int32_t t = list->Get(k);
        bool absent_ok = side == 0 && t == -1;
        if (!absent_ok && (t < 0 || t >= num_tensors)) {
          EMBER_LOG("model: op #%zu %s %zu is tensor %ld, out of range (the model has %ld "
              "tensors)",
              op, side == 0 ? "input" : "output", k, static_cast<long>(t),
              static_cast<long>(num_tensors));
          return kEmberError;
        }
      }
    }
  }
  return kEmberOk;
}

EmberStatus ModelReader::ReadTensor(size_t index, EmberTensor* out) const {
  const sc::Tensor* t = subgraph_->tensors()->Get(index);
  const char* name = TensorName(t);
  *out = EmberTensor{};
  int32_t type = static_cast<int32_t>(t->type());
  out->type = static_cast<EmberType>(type);
  size_t element = ElementSize(out->type);
  if (element == 0) {
    EMBER_LOG("model: tensor %zu '%s' has type %s, which ember does not support", index, name,
        TypeName(type));
    return kEmberError;
  }
  if (t->sparsity() != nullptr) {
    EMBER_LOG("model: tensor %zu '%s' is sparse; sparse tensors are unsupported", index, name);
    return kEmberError;
  }
  const fb::Vector<int32_t>* shape = t->shape();
  if (VecSize(shape) > kMaxDims) {
    EMBER_LOG("model: tensor %zu '%s' has %zu dimensions; ember supports up to %zu", index, name,
        VecSize(shape), kMaxDims);
    return kEmberError;
  }
  out->num_dims = static_cast<uint8_t>(VecSize(shape));
  out->dims = out->num_dims > 0 ? shape->data() : kNoDims;
  uint64_t count = 1;
  for (int32_t d = 0; d < out->num_dims; ++d) {
    if (out->dims[d] < 0) {
      EMBER_LOG("model: tensor %zu '%s' has dimension %ld = %ld; dynamic shapes are unsupported", index,
          name, static_cast<long>(d), static_cast<long>(out->dims[d]));
      return kEmberError;
    }
    count *= static_cast<uint64_t>(out->dims[d]);
    if (count > 0x7FFFFFFF) {
      EMBER_LOG("model: tensor %zu '%s' is too large (over 2^31 elements)", index, name);
      return kEmberError;
    }
  }
  uint64_t bytes = count * element;
  if (bytes > 0x7FFFFFFF) {
    EMBER_LOG("model: tensor %zu '%s' is too large (%llu bytes)", index, name,
        static_cast<unsigned long long>(bytes));
    return kEmberError;
  }
  out->bytes = static_cast<uint32_t>(bytes);
  out->is_variable = t->is_variable() ? 1 : 0;

  const sc::Buffer* buffer = model_->buffers()->Get(t->buffer());
  size_t data_size = VecSize(buffer->data());
  if (data_size > 0) {
    if (data_size < bytes) {
      EMBER_LOG("model: tensor %zu '%s' needs %llu bytes (shape x %zu-byte %s) but its buffer %u "
          "holds %zu",
          index, name, static_cast<unsigned long long>(bytes), element, TypeName(type),
          static_cast<unsigned>(t->buffer()), data_size);
      return kEmberError;
    }
    if (out->is_variable) {
      EMBER_LOG("model: variable tensor %zu '%s' has constant data; unsupported", index, name);
      return kEmberError;
    }
    if (reinterpret_cast<uintptr_t>(buffer->data()->data()) % element != 0) {
      EMBER_LOG("model: tensor %zu '%s' data is not %zu-byte aligned in the model", index, name, element);
      return kEmberError;
    }
    out->data = const_cast<uint8_t*>(buffer->data()->data());  // read in place
    out->is_constant = 1;
  }

  const sc::QuantizationParameters* q = t->quantization();
  size_t num_scales = q != nullptr ? VecSize(q->scale()) : 0;
  if (num_scales > 0) {
    size_t num_zps = VecSize(q->zero_point());
    if (num_zps != num_scales) {
      EMBER_LOG("model: tensor %zu '%s' has %zu quantization scales but %zu zero points", index, name,
          num_scales, num_zps);
      return kEmberError;
    }
    int32_t qd = q->quantized_dimension();
    // Converters write the filter's quantized dimension (e.g. 3) on 1-D bias tensors
    // too; for a 1-D tensor with one scale per element, the only dimension is meant.
    if (num_scales > 1 && out->num_dims == 1 && (qd < 0 || qd >= 1) &&
        static_cast<size_t>(out->dims[0]) == num_scales) {
      qd = 0;
    }
    if (num_scales > 1 &&
        (qd < 0 || qd >= out->num_dims || static_cast<size_t>(out->dims[qd]) != num_scales)) {
      EMBER_LOG("model: tensor %zu '%s' has %zu per-channel scales that do not match quantized "
          "dimension %ld of its shape",
          index, name, num_scales, static_cast<long>(qd));
      return kEmberError;
    }
    if (num_scales > 1 && qd > INT8_MAX) {
      EMBER_LOG("model: tensor %zu '%s' is quantized along dimension %ld; ember supports up to %d",
          index, name, static_cast<long>(qd), INT8_MAX);
      return kEmberError;
    }
    if (num_scales > kMaxChannels) {
      EMBER_LOG("model: tensor %zu '%s' has %zu quantization channels; ember supports up to %zu",
          index, name, num_scales, kMaxChannels);
      return kEmberError;
    }
    out->quant.num_channels = static_cast<int16_t>(num_scales);
    // Per-tensor quantization has no axis (the model's value, often 0, is not used).
    out->quant.quantized_dimension = static_cast<int8_t>(num_scales > 1 ? qd : 0);
    out->quant.scales = q->scale()->data();
    out->quant.zero_points = q->zero_point()->data();
    out->quant.scale = out->quant.scales[0];
    out->quant.zero_point = static_cast<int32_t>(out->quant.zero_points[0]);
  }
  return kEmberOk;
}

EmberStatus ModelReader::ReadOperator(size_t index, OperatorInfo* out) const {
  const sc::Operator* o = subgraph_->operators()->Get(index);
  const sc::OperatorCode* code = model_->operator_codes()->Get(o->opcode_index());
  int32_t builtin = static_cast<int32_t>(code->builtin_code());
  int32_t deprecated = code->deprecated_builtin_code();
  *out = OperatorInfo{};
  out->builtin_code = builtin > deprecated ? builtin : deprecated;
  out->version = code->version();
  out->name = BuiltinOpName(out->builtin_code);
  out->known = out->name[0] != '\0';
  if (out->builtin_code == static_cast<int32_t>(sc::BuiltinOperator::CUSTOM)) {
    out->custom_code = code->custom_code() != nullptr ? code->custom_code()->c_str() : "";
  }
  out->num_inputs = static_cast<int32_t>(VecSize(o->inputs()));
  out->inputs = out->num_inputs > 0 ? o->inputs()->data() : kNoDims;
  out->num_outputs = static_cast<int32_t>(VecSize(o->outputs()));
  out->outputs = out->num_outputs > 0 ? o->outputs()->data() : kNoDims;
  return kEmberOk;
}

EmberStatus ModelReader::OfflinePlan(const int32_t** offsets) const {
  *offsets = nullptr;
  const auto* metadata = model_->metadata();
  for (size_t i = 0; i < VecSize(metadata); ++i) {
    const sc::Metadata* m = metadata->Get(i);
    if (m->name() == nullptr || strcmp(m->name()->c_str(), "OfflineMemoryAllocation") != 0)
      continue;
    size_t num_buffers = VecSize(model_->buffers());
    if (m->buffer() >= num_buffers) {
      EMBER_LOG("model: OfflineMemoryAllocation refers to buffer %u of %zu",
          static_cast<unsigned>(m->buffer()), num_buffers);
      return kEmberError;
    }
    const fb::Vector<uint8_t>* data = model_->buffers()->Get(m->buffer())->data();
    size_t bytes = VecSize(data);
    if (bytes < 12 || bytes % 4 != 0 || reinterpret_cast<uintptr_t>(data->data()) % 4 != 0) {
      EMBER_LOG("model: OfflineMemoryAllocation has %zu bytes; expected int32 words "
          "[version, subgraph, count, offsets...]",
          bytes);
      return kEmberError;
    }
    const int32_t* words = reinterpret_cast<const int32_t*>(data->data());
    size_t count = static_cast<size_t>(words[2] < 0 ? 0 : words[2]);
    if (words[0] != 0 || words[1] != 0 || count != num_tensors_ || bytes != 12 + 4 * count) {
      EMBER_LOG("model: OfflineMemoryAllocation header [version %ld, subgraph %ld, %ld offsets] "
          "does not match (expected version 0, subgraph 0, %zu offsets, %zu bytes)",
          static_cast<long>(words[0]), static_cast<long>(words[1]), static_cast<long>(words[2]),
          num_tensors_, bytes);
      return kEmberError;
    }
    for (size_t t = 0; t < count; ++t) {
      if (words[3 + t] < -1) {
        EMBER_LOG("model: OfflineMemoryAllocation offset of tensor %zu is %ld (must be >= 0 or "
            "-1 for online planning)",
            t, static_cast<long>(words[3 + t]));
        return kEmberError;
      }
    }
    *offsets = words + 3;
    return kEmberOk;
  }
  return kEmberOk;
}

}  // namespace ember::rt
