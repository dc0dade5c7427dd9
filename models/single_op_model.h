// One call that builds a model with a single operator, for kernel and interpreter tests:
//
//   SingleOpModelSpec spec;
//   spec.op = BuiltinOperator::ADD;
//   spec.options = AddSubOptions(kEmberActRelu);
//   spec.inputs = {TensorDesc::Activation("a", TensorType::INT8, {1, 4}, q),
//                  TensorDesc::Constant("b", TensorType::INT8, {1, 4}, Int8Data(b), q)};
//   spec.outputs = {TensorDesc::Activation("y", TensorType::INT8, {1, 4}, q)};
//   Status s = BuildSingleOpModel(spec, &model);
//
// Tensors are numbered in order: inputs first, then outputs (omitted inputs get no
// tensor; the op sees -1). The subgraph's inputs are the op inputs that are neither
// constant, variable nor omitted, in order; its outputs are all op outputs.
#ifndef EMBER_MODELS_SINGLE_OP_MODEL_H_
#define EMBER_MODELS_SINGLE_OP_MODEL_H_

#include <optional>
#include <string>
#include <vector>

#include "models/model_builder.h"

namespace ember::models {

struct TensorDesc {
  std::string name;
  TensorType type = TensorType::INT8;
  std::vector<int32_t> shape;
  std::optional<Quantization> quantization;
  std::vector<uint8_t> data;  // non-empty: a constant tensor with this data
  bool is_variable = false;
  bool omitted = false;  // an optional input left out (-1)

  static TensorDesc Activation(std::string name, TensorType type, std::vector<int32_t> shape,
                               std::optional<Quantization> quantization = std::nullopt);
  static TensorDesc Constant(std::string name, TensorType type, std::vector<int32_t> shape,
                             std::vector<uint8_t> data,
                             std::optional<Quantization> quantization = std::nullopt);
  static TensorDesc Variable(std::string name, TensorType type, std::vector<int32_t> shape,
                             std::optional<Quantization> quantization = std::nullopt);
  static TensorDesc Omitted();
};

struct SingleOpModelSpec {
  BuiltinOperator op = BuiltinOperator::ADD;
  OpOptions options;
  int32_t version = 1;
  std::vector<TensorDesc> inputs;
  std::vector<TensorDesc> outputs;
  // Optional TFLM offline memory plan (one offset per tensor, -1 = online).
  std::vector<int32_t> offline_offsets;
};

Status BuildSingleOpModel(const SingleOpModelSpec& spec, std::vector<uint8_t>* out);

}  // namespace ember::models

#endif  // EMBER_MODELS_SINGLE_OP_MODEL_H_
