#include "models/single_op_model.h"

#include <utility>

namespace ember::models {

TensorDesc TensorDesc::Activation(std::string name, TensorType type, std::vector<int32_t> shape,
                                  std::optional<Quantization> quantization) {
  TensorDesc t;
  t.name = std::move(name);
  t.type = type;
  t.shape = std::move(shape);
  t.quantization = std::move(quantization);
  return t;
}

TensorDesc TensorDesc::Constant(std::string name, TensorType type, std::vector<int32_t> shape,
                                std::vector<uint8_t> data,
                                std::optional<Quantization> quantization) {
  TensorDesc t = Activation(std::move(name), type, std::move(shape), std::move(quantization));
  t.data = std::move(data);
  return t;
}

TensorDesc TensorDesc::Variable(std::string name, TensorType type, std::vector<int32_t> shape,
                                std::optional<Quantization> quantization) {
  TensorDesc t = Activation(std::move(name), type, std::move(shape), std::move(quantization));
  t.is_variable = true;
  return t;
}

TensorDesc TensorDesc::Omitted() {
  TensorDesc t;
  t.omitted = true;
  return t;
}

Status BuildSingleOpModel(const SingleOpModelSpec& spec, std::vector<uint8_t>* out) {
  ModelBuilder b;
  auto add = [&b](const TensorDesc& t) -> int32_t {
    if (t.omitted) return -1;
    if (!t.data.empty()) {
      return b.AddConstTensor(t.name, t.type, t.shape, t.data, t.quantization);
    }
    return b.AddTensor(t.name, t.type, t.shape, t.quantization, 0, t.is_variable);
  };
  std::vector<int32_t> inputs;
  std::vector<int32_t> graph_inputs;
  for (const TensorDesc& t : spec.inputs) {
    const int32_t index = add(t);
    inputs.push_back(index);
    if (index >= 0 && t.data.empty() && !t.is_variable) graph_inputs.push_back(index);
  }
  std::vector<int32_t> outputs;
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    if (spec.outputs[i].omitted || !spec.outputs[i].data.empty() || spec.outputs[i].is_variable) {
      return Status::Error("single-op model: output " + std::to_string(i) +
                           " must be a plain activation tensor");
    }
    outputs.push_back(add(spec.outputs[i]));
  }
  b.AddOperator(spec.op, inputs, outputs, spec.options, spec.version);
  b.SetInputs(graph_inputs);
  b.SetOutputs(outputs);
  if (!spec.offline_offsets.empty()) b.AddOfflineMemoryAllocation(spec.offline_offsets);
  return b.Build(out);
}

}  // namespace ember::models
