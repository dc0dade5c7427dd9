// Model reader: the only code that touches FlatBuffers. It verifies a .tflite buffer
// and hands the interpreter plain views (EmberTensor, operator info, parsed option
// structs), pointing into the model in place: shapes, weights, quantization arrays,
// operator input/output lists are never copied.
//
// Open() runs every structural check once, so later reads can trust indices:
//   - buffer size, file identifier "TFL3", the FlatBuffers verifier;
//   - exactly one subgraph (more: unsupported, stated as such);
//   - operator opcode indices, operator/subgraph tensor indices, tensor buffer
//     indices in range; Buffer.offset > 1 (external data of >2 GB models) unsupported.
// Arrays handed out (dims, scales, zero points) are FlatBuffers vectors read in place, so
// the 32-bit element count precedes each (dims[-1] = num_dims, also for a scalar's dims).
// ReadTensor() checks the tensor itself: supported element type, non-negative shape,
// no sparsity, buffer data not smaller than shape * element size, consistent
// quantization. Every failure is logged once with the tensor or op it concerns.
#ifndef EMBER_RUNTIME_MODEL_READER_H_
#define EMBER_RUNTIME_MODEL_READER_H_

#include <stddef.h>
#include <stdint.h>

#include "runtime/kernel_api.h"

namespace ember::schema {
struct Model;
struct SubGraph;
}  // namespace ember::schema

namespace ember::rt {

// Allocator for parsed option structs (the interpreter passes its persistent tail).
struct ParamsAllocator {
  void* (*allocate)(void* ctx, size_t bytes);
  void* ctx;
};

struct OperatorInfo {
  int32_t builtin_code;  // max(builtin_code, deprecated_builtin_code)
  int32_t version;
  bool known;               // the code is in the schema's BuiltinOperator enum
  const char* name;         // op name from the schema, "" when unknown
  const char* custom_code;  // CUSTOM ops: their name, else nullptr
  const int32_t* inputs;    // in place in the model; -1 = absent optional input
  int32_t num_inputs;
  const int32_t* outputs;
  int32_t num_outputs;
};

// Name of a builtin op code ("" when outside the schema).
const char* BuiltinOpName(int32_t code);
// Bytes per element of a supported type; 0 for types ember does not support.
size_t ElementSize(EmberType type);
const char* TypeName(int32_t type);
// Name of tensor `index` of the first subgraph of a model that ModelReader::Open() has
// accepted ("" when it has none or the index is out of range). Tensor names stay in the
// model (flash); EmberTensor does not carry them.
const char* ModelTensorName(const void* model, size_t index);

class ModelReader {
 public:
  [[nodiscard]] EmberStatus Open(const void* model, size_t bytes);

  size_t tensors_size() const { return num_tensors_; }
  size_t operators_size() const { return num_operators_; }
  size_t inputs_size() const { return num_inputs_; }
  size_t outputs_size() const { return num_outputs_; }
  const int32_t* inputs() const { return inputs_; }
  const int32_t* outputs() const { return outputs_; }

  // Fills *out (data = constant buffer in the model, or nullptr to be planned).
  [[nodiscard]] EmberStatus ReadTensor(size_t index, EmberTensor* out) const;
  [[nodiscard]] EmberStatus ReadOperator(size_t index, OperatorInfo* out) const;
  // Parses the op's BuiltinOptions into its Ember*Params struct (builtin_params.h),
  // allocated with `alloc`; *params = nullptr for ops without options.
  [[nodiscard]] EmberStatus ParseOptions(size_t op_index, const OperatorInfo& info,
                                         const ParamsAllocator& alloc, const void** params) const;
  // The offline plan of metadata "OfflineMemoryAllocation", validated against this
  // model: *offsets = tensors_size() int32 offsets (-1 = plan online), or nullptr when
  // the model has none.
  [[nodiscard]] EmberStatus OfflinePlan(const int32_t** offsets) const;

 private:
  [[nodiscard]] EmberStatus CheckIndices() const;

  const schema::Model* model_ = nullptr;
  const schema::SubGraph* subgraph_ = nullptr;
  size_t num_tensors_ = 0;
  size_t num_operators_ = 0;
  size_t num_inputs_ = 0;
  size_t num_outputs_ = 0;
  const int32_t* inputs_ = nullptr;
  const int32_t* outputs_ = nullptr;
};

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MODEL_READER_H_
