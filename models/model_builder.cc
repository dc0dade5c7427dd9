#include "models/model_builder.h"

#include <algorithm>
#include <map>
#include <utility>

#include "models/op_options_writer.h"

namespace ember::models {
namespace {

constexpr uint32_t kSchemaVersion = 3;
constexpr int32_t kMaxDeprecatedBuiltinCode = 127;  // PLACEHOLDER_FOR_GREATER_OP_CODES

}  // namespace

Quantization Quantization::PerTensor(float scale, int64_t zero_point) {
  Quantization q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

Quantization Quantization::PerChannel(std::vector<float> scales, int32_t quantized_dimension,
                                      std::vector<int64_t> zero_points) {
  Quantization q;
  if (zero_points.empty()) zero_points.assign(scales.size(), 0);
  q.scale = std::move(scales);
  q.zero_point = std::move(zero_points);
  q.quantized_dimension = quantized_dimension;
  return q;
}

size_t TensorTypeSize(TensorType type) {
  switch (type) {
    case TensorType::BOOL:
    case TensorType::UINT8:
    case TensorType::INT8:
      return 1;
    case TensorType::FLOAT16:
    case TensorType::INT16:
    case TensorType::UINT16:
      return 2;
    case TensorType::FLOAT32:
    case TensorType::INT32:
    case TensorType::UINT32:
      return 4;
    case TensorType::INT64:
    case TensorType::UINT64:
    case TensorType::FLOAT64:
    case TensorType::COMPLEX64:
      return 8;
    case TensorType::COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

uint32_t ModelBuilder::AddBuffer(std::vector<uint8_t> data) {
  buffers_.push_back(std::move(data));
  return static_cast<uint32_t>(buffers_.size() - 1);
}

int32_t ModelBuilder::AddTensor(std::string name, TensorType type, std::vector<int32_t> shape,
                                std::optional<Quantization> quantization, uint32_t buffer,
                                bool is_variable) {
  tensors_.push_back(TensorEntry{std::move(name), type, std::move(shape), std::move(quantization),
                                 buffer, is_variable});
  return static_cast<int32_t>(tensors_.size() - 1);
}

int32_t ModelBuilder::AddConstTensor(std::string name, TensorType type, std::vector<int32_t> shape,
                                     std::vector<uint8_t> data,
                                     std::optional<Quantization> quantization) {
  const uint32_t buffer = AddBuffer(std::move(data));
  return AddTensor(std::move(name), type, std::move(shape), std::move(quantization), buffer);
}

int32_t ModelBuilder::AddVariableTensor(std::string name, TensorType type,
                                        std::vector<int32_t> shape,
                                        std::optional<Quantization> quantization) {
  return AddTensor(std::move(name), type, std::move(shape), std::move(quantization), 0,
                   /*is_variable=*/true);
}

int32_t ModelBuilder::AddOperator(BuiltinOperator op, std::vector<int32_t> inputs,
                                  std::vector<int32_t> outputs, OpOptions options,
                                  int32_t version) {
  operators_.push_back(
      OperatorEntry{op, version, std::move(inputs), std::move(outputs), std::move(options)});
  return static_cast<int32_t>(operators_.size() - 1);
}

void ModelBuilder::AddMetadata(std::string name, std::vector<uint8_t> data) {
  const uint32_t buffer = AddBuffer(std::move(data));
  metadata_.push_back(MetadataEntry{std::move(name), buffer});
}

void ModelBuilder::AddOfflineMemoryAllocation(const std::vector<int32_t>& offsets) {
  std::vector<int32_t> words = {0, 0, static_cast<int32_t>(offsets.size())};
  words.insert(words.end(), offsets.begin(), offsets.end());
  offline_plan_tensor_count_ = static_cast<int64_t>(offsets.size());
  AddMetadata(kOfflineMemoryAllocationName, Int32Data(words));
}

Status ModelBuilder::ValidateTensor(size_t index) const {
  const TensorEntry& t = tensors_[index];
  const std::string where = "tensor " + std::to_string(index) + " ('" + t.name + "')";
  if (t.buffer >= buffers_.size()) {
    return Status::Error(where + ": buffer index " + std::to_string(t.buffer) + " out of range (" +
                         std::to_string(buffers_.size()) + " buffers)");
  }
  size_t elements = 1;
  for (int32_t d : t.shape) {
    if (d < 0) return Status::Error(where + ": negative dimension " + std::to_string(d));
    elements *= static_cast<size_t>(d);
  }
  const size_t element_size = TensorTypeSize(t.type);
  const std::vector<uint8_t>& data = buffers_[t.buffer];
  if (t.buffer != 0 && element_size != 0 && data.size() != elements * element_size) {
    return Status::Error(where + ": buffer holds " + std::to_string(data.size()) +
                         " bytes, shape x element size needs " +
                         std::to_string(elements * element_size));
  }
  if (t.is_variable && t.buffer != 0) {
    return Status::Error(where + ": a variable tensor must not have constant data");
  }
  if (!t.quantization) return Status::Ok();
  const Quantization& q = *t.quantization;
  if (q.scale.empty()) return Status::Error(where + ": quantization without scales");
  if (q.zero_point.size() != q.scale.size()) {
    return Status::Error(where + ": " + std::to_string(q.scale.size()) + " scales but " +
                         std::to_string(q.zero_point.size()) + " zero points");
  }
  for (float s : q.scale) {
    if (!(s > 0.0f) || s != s || s > 3.4e38f) {
      return Status::Error(where + ": quantization scale must be positive and finite");
    }
  }
  if (q.scale.size() > 1) {
    const int32_t dim = q.quantized_dimension;
    if (dim < 0 || dim >= static_cast<int32_t>(t.shape.size())) {
      return Status::Error(where + ": quantized_dimension " + std::to_string(dim) +
                           " outside the tensor's " + std::to_string(t.shape.size()) +
                           " dimensions");
    }
    if (static_cast<size_t>(t.shape[dim]) != q.scale.size()) {
      return Status::Error(where + ": " + std::to_string(q.scale.size()) +
                           " per-channel scales for dimension " + std::to_string(dim) +
                           " of size " + std::to_string(t.shape[dim]));
    }
  }
  if (q.min.size() != q.max.size()) {
    return Status::Error(where + ": quantization min and max differ in length");
  }
  return Status::Ok();
}

Status ModelBuilder::ValidateOperator(size_t index) const {
  const OperatorEntry& op = operators_[index];
  const std::string where =
      "operator " + std::to_string(index) + " (" + schema::EnumNameBuiltinOperator(op.op) + ")";
  const int32_t n = static_cast<int32_t>(tensors_.size());
  for (int32_t i : op.inputs) {
    if (i < -1 || i >= n) {
      return Status::Error(where + ": input tensor index " + std::to_string(i) + " out of range (" +
                           std::to_string(n) + " tensors)");
    }
  }
  if (op.outputs.empty()) return Status::Error(where + ": no outputs");
  for (int32_t o : op.outputs) {
    if (o < 0 || o >= n) {
      return Status::Error(where + ": output tensor index " + std::to_string(o) +
                           " out of range (" + std::to_string(n) + " tensors)");
    }
    if (tensors_[o].buffer != 0) {
      return Status::Error(where + ": output tensor " + std::to_string(o) + " is constant");
    }
  }
  if (op.version < 1) return Status::Error(where + ": op version must be >= 1");
  if (static_cast<int32_t>(op.op) < 0 ||
      static_cast<int32_t>(op.op) > static_cast<int32_t>(BuiltinOperator::MAX)) {
    return Status::Error(where + ": unknown builtin op code");
  }
  return Status::Ok();
}

Status ModelBuilder::Validate() const {
  for (size_t i = 0; i < tensors_.size(); ++i) EMBER_MODELS_RETURN_IF_ERROR(ValidateTensor(i));
  for (size_t i = 0; i < operators_.size(); ++i) {
    EMBER_MODELS_RETURN_IF_ERROR(ValidateOperator(i));
  }
  const int32_t n = static_cast<int32_t>(tensors_.size());
  for (const auto* list : {&inputs_, &outputs_}) {
    const char* what = list == &inputs_ ? "subgraph input" : "subgraph output";
    for (int32_t t : *list) {
      if (t < 0 || t >= n) {
        return Status::Error(std::string(what) + " tensor index " + std::to_string(t) +
                             " out of range (" + std::to_string(n) + " tensors)");
      }
    }
  }
  if (outputs_.empty()) return Status::Error("the subgraph has no outputs (SetOutputs)");
  if (offline_plan_tensor_count_ >= 0 &&
      offline_plan_tensor_count_ != static_cast<int64_t>(tensors_.size())) {
    return Status::Error("OfflineMemoryAllocation has " +
                         std::to_string(offline_plan_tensor_count_) + " offsets for " +
                         std::to_string(tensors_.size()) + " tensors");
  }
  return Status::Ok();
}

Status ModelBuilder::Build(std::vector<uint8_t>* out) const {
  out->clear();
  if (strict_) EMBER_MODELS_RETURN_IF_ERROR(Validate());

  size_t data_bytes = 0;
  for (const auto& b : buffers_) data_bytes += b.size() + 16;
  flatbuffers::FlatBufferBuilder fbb(data_bytes + 4096);

  // Buffers (constant data first, so it ends up at the end of the file like TFLite's).
  std::vector<flatbuffers::Offset<schema::Buffer>> buffers;
  buffers.reserve(buffers_.size());
  for (const auto& data : buffers_) {
    if (data.empty()) {
      buffers.push_back(schema::CreateBuffer(fbb));
      continue;
    }
    fbb.ForceVectorAlignment(data.size(), sizeof(uint8_t), 16);
    buffers.push_back(schema::CreateBuffer(fbb, fbb.CreateVector(data)));
  }

  std::vector<flatbuffers::Offset<schema::Tensor>> tensors;
  for (const TensorEntry& t : tensors_) {
    flatbuffers::Offset<schema::QuantizationParameters> quant = 0;
    if (t.quantization) {
      const Quantization& q = *t.quantization;
      quant = schema::CreateQuantizationParameters(
          fbb, q.min.empty() ? 0 : fbb.CreateVector(q.min),
          q.max.empty() ? 0 : fbb.CreateVector(q.max), fbb.CreateVector(q.scale),
          fbb.CreateVector(q.zero_point), schema::QuantizationDetails::NONE, 0,
          q.quantized_dimension);
    }
    tensors.push_back(schema::CreateTensor(fbb, fbb.CreateVector(t.shape), t.type, t.buffer,
                                           fbb.CreateString(t.name), quant, t.is_variable));
  }

  // Operator codes, deduplicated by (op, version) in first-use order.
  std::map<std::pair<int32_t, int32_t>, uint32_t> code_index;
  std::vector<flatbuffers::Offset<schema::OperatorCode>> codes;
  std::vector<flatbuffers::Offset<schema::Operator>> operators;
  for (size_t i = 0; i < operators_.size(); ++i) {
    const OperatorEntry& op = operators_[i];
    const int32_t code = static_cast<int32_t>(op.op);
    auto key = std::make_pair(code, op.version);
    auto it = code_index.find(key);
    if (it == code_index.end()) {
      it = code_index.emplace(key, static_cast<uint32_t>(codes.size())).first;
      const int8_t deprecated = static_cast<int8_t>(std::min(code, kMaxDeprecatedBuiltinCode));
      codes.push_back(schema::CreateOperatorCode(fbb, deprecated, 0, op.version, op.op));
    }
    WrittenOptions options;
    Status st = WriteBuiltinOptions(fbb, op.op, op.options, &options);
    if (!st.ok()) {
      return Status::Error("operator " + std::to_string(i) + ": " + st.message());
    }
    operators.push_back(schema::CreateOperator(fbb, it->second, fbb.CreateVector(op.inputs),
                                               fbb.CreateVector(op.outputs), options.type,
                                               options.table));
  }

  auto subgraph = schema::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(inputs_),
                                         fbb.CreateVector(outputs_), fbb.CreateVector(operators),
                                         fbb.CreateString("main"));
  std::vector<flatbuffers::Offset<schema::Metadata>> metadata;
  for (const MetadataEntry& m : metadata_) {
    metadata.push_back(schema::CreateMetadata(fbb, fbb.CreateString(m.name), m.buffer));
  }
  auto model = schema::CreateModel(fbb, kSchemaVersion, fbb.CreateVector(codes),
                                   fbb.CreateVector(&subgraph, 1), fbb.CreateString(description_),
                                   fbb.CreateVector(buffers), 0,
                                   metadata.empty() ? 0 : fbb.CreateVector(metadata));
  schema::FinishModelBuffer(fbb, model);
  out->assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  return Status::Ok();
}

}  // namespace ember::models
