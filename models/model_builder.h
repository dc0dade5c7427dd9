// ModelBuilder: writes TensorFlow Lite flatbuffer models (.tflite, schema version 3,
// file identifier "TFL3") with one subgraph, without TensorFlow.
//
//   ModelBuilder b;
//   int in = b.AddTensor("in", TensorType::INT8, {1, 8}, Quantization::PerTensor(0.5f, -1));
//   int w = b.AddConstTensor("w", TensorType::INT8, {4, 8}, Int8Data(weights),
//                            Quantization::PerChannel(scales, /*quantized_dimension=*/0));
//   int out = b.AddTensor("out", TensorType::INT8, {1, 4}, Quantization::PerTensor(1.f, 0));
//   b.AddOperator(BuiltinOperator::FULLY_CONNECTED, {in, w, -1}, {out}, FullyConnectedOptions());
//   b.SetInputs({in}); b.SetOutputs({out});
//   std::vector<uint8_t> model;  Status s = b.Build(&model);
//
// Layout written, as TensorFlow Lite's converter does: buffers[0] is the empty sentinel;
// every constant tensor owns one buffer whose data is 16-byte aligned (relative to the
// start of the model, which must itself be 16-byte aligned in memory: std::vector's
// allocation is on common hosts); tensors without data use buffer 0. Operator codes are
// deduplicated by (op, version) and carry both code fields: builtin_code = op and
// deprecated_builtin_code = min(op, 127) (127 = PLACEHOLDER_FOR_GREATER_OP_CODES).
//
// Validation happens in Build(). In strict mode (the default) it rejects index errors,
// data sizes that do not match shape x element size, inconsistent quantization and
// options that do not belong to the op. set_strict(false) keeps only what is needed to
// write the file, so tests can produce deliberately broken models for reader tests.
#ifndef EMBER_MODELS_MODEL_BUILDER_H_
#define EMBER_MODELS_MODEL_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/op_options.h"
#include "models/status.h"
#include "models/tensor_data.h"
#include "runtime/schema/ember_schema_generated.h"

namespace ember::models {

using schema::BuiltinOperator;
using schema::TensorType;

// Quantization of one tensor: real = scale * (q - zero_point). Per-tensor: one scale.
// Per-channel: one scale and zero point per index of dimension quantized_dimension.
struct Quantization {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
  std::vector<float> min;  // optional calibration range (written when non-empty)
  std::vector<float> max;

  static Quantization PerTensor(float scale, int64_t zero_point);
  // Zero points default to 0 (the int8/int16 weight convention).
  static Quantization PerChannel(std::vector<float> scales, int32_t quantized_dimension,
                                 std::vector<int64_t> zero_points = {});
};

// Bytes per element of a tensor type; 0 for types whose size is not fixed
// (STRING, INT4, RESOURCE, VARIANT), for which no size check is made.
size_t TensorTypeSize(TensorType type);

// The name of the metadata entry TFLM reads offline-planned tensor offsets from.
inline constexpr char kOfflineMemoryAllocationName[] = "OfflineMemoryAllocation";

class ModelBuilder {
 public:
  ModelBuilder() = default;

  void set_strict(bool strict) { strict_ = strict; }
  void set_description(std::string description) { description_ = std::move(description); }

  // Adds a buffer and returns its index (>= 1; 0 is the empty sentinel).
  uint32_t AddBuffer(std::vector<uint8_t> data);

  // Adds a tensor and returns its index. buffer = 0: no constant data.
  int32_t AddTensor(std::string name, TensorType type, std::vector<int32_t> shape,
                    std::optional<Quantization> quantization = std::nullopt, uint32_t buffer = 0,
                    bool is_variable = false);
  // A constant tensor with its own buffer holding `data` (little-endian bytes, see
  // tensor_data.h: Int8Data, Int16Data, Int32Data, Int64Data, FloatData).
  int32_t AddConstTensor(std::string name, TensorType type, std::vector<int32_t> shape,
                         std::vector<uint8_t> data,
                         std::optional<Quantization> quantization = std::nullopt);
  // A variable tensor (is_variable = true, e.g. SVDF state), zero-initialized by the
  // runtime; it has no buffer.
  int32_t AddVariableTensor(std::string name, TensorType type, std::vector<int32_t> shape,
                            std::optional<Quantization> quantization = std::nullopt);

  // Appends an operator (execution order = call order) and returns its index.
  // Optional inputs are -1. version is the op version written to the OperatorCode.
  int32_t AddOperator(BuiltinOperator op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                      OpOptions options = std::monostate{}, int32_t version = 1);
  int32_t AddOperator(EmberBuiltinOp op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                      OpOptions options = std::monostate{}, int32_t version = 1) {
    return AddOperator(static_cast<BuiltinOperator>(op), std::move(inputs), std::move(outputs),
                       std::move(options), version);
  }

  void SetInputs(std::vector<int32_t> inputs) { inputs_ = std::move(inputs); }
  void SetOutputs(std::vector<int32_t> outputs) { outputs_ = std::move(outputs); }

  // A metadata entry: name + a buffer holding `data`.
  void AddMetadata(std::string name, std::vector<uint8_t> data);
  // TFLM's offline memory plan: metadata "OfflineMemoryAllocation" holding int32 words
  // [version 0, subgraph 0, number of tensors, offset of tensor 0, ...]; an offset is a
  // byte offset into the nonpersistent arena, -1 = plan this tensor online. Build()
  // checks (strict mode) that there is exactly one offset per tensor.
  void AddOfflineMemoryAllocation(const std::vector<int32_t>& offsets);

  size_t num_tensors() const { return tensors_.size(); }
  size_t num_operators() const { return operators_.size(); }

  // Validates (see above) and serializes the model into *out.
  Status Build(std::vector<uint8_t>* out) const;

 private:
  struct TensorEntry {
    std::string name;
    TensorType type;
    std::vector<int32_t> shape;
    std::optional<Quantization> quantization;
    uint32_t buffer;
    bool is_variable;
  };
  struct OperatorEntry {
    BuiltinOperator op;
    int32_t version;
    std::vector<int32_t> inputs;
    std::vector<int32_t> outputs;
    OpOptions options;
  };
  struct MetadataEntry {
    std::string name;
    uint32_t buffer;
  };

  Status Validate() const;
  Status ValidateTensor(size_t index) const;
  Status ValidateOperator(size_t index) const;

  bool strict_ = true;
  std::string description_ = "ember model builder";
  std::vector<std::vector<uint8_t>> buffers_{std::vector<uint8_t>{}};  // [0] = sentinel
  std::vector<TensorEntry> tensors_;
  std::vector<OperatorEntry> operators_;
  std::vector<int32_t> inputs_;
  std::vector<int32_t> outputs_;
  std::vector<MetadataEntry> metadata_;
  int64_t offline_plan_tensor_count_ = -1;  // -1: no offline plan added
};

}  // namespace ember::models

#endif  // EMBER_MODELS_MODEL_BUILDER_H_
