/* The kernel interface: the contract between the interpreter (runtime/) and the
 * op kernels (kernels/). C-compatible so that kernels can be written in C.
 *
 * Life cycle of one op (node), driven by the interpreter:
 *   init(ctx, builtin_data)   once, during AllocateTensors(): may allocate persistent
 *                             memory (op data) and returns it as node->user_data.
 *   prepare(ctx, node)        once, during AllocateTensors(): validates shapes, types and
 *                             quantization, precomputes everything Eval needs (multipliers,
 *                             shifts, ranges) into the op data, requests scratch buffers.
 *                             All errors about the model are found here.
 *   invoke(ctx, node)         every Invoke(): computes. Never allocates, never re-derives
 *                             parameters; may only fetch scratch pointers.
 *   free(ctx, user_data)      when the interpreter is destroyed (optional).
 *
 * Kernels never see FlatBuffers types: the runtime hands them EmberTensor views and
 * the op's options parsed into the plain structs of runtime/builtin_params.h.
 * No heap: the only memory a kernel gets is from AllocatePersistent (init/prepare) and
 * scratch buffers (requested in prepare, fetched in invoke).
 */
#ifndef EMBER_RUNTIME_KERNEL_API_H_
#define EMBER_RUNTIME_KERNEL_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum EmberStatus { kEmberOk = 0, kEmberError = 1 } EmberStatus;

/* Element types. Same values as TensorFlow Lite's TensorType. One byte in EmberTensor:
 * C++ gives the enum a uint8_t underlying type; C sees the field as uint8_t (same layout). */
#define EMBER_TYPE_VALUES                                                              \
  kEmberFloat32 = 0, kEmberFloat16 = 1, kEmberInt32 = 2, kEmberUInt8 = 3, kEmberInt64 = 4, \
  kEmberString = 5, kEmberBool = 6, kEmberInt16 = 7, kEmberComplex64 = 8, kEmberInt8 = 9,  \
  kEmberFloat64 = 10
#ifdef __cplusplus
typedef enum EmberType : uint8_t { EMBER_TYPE_VALUES } EmberType;
#define EMBER_TYPE_FIELD EmberType
#else
typedef enum EmberType { EMBER_TYPE_VALUES } EmberType;
#define EMBER_TYPE_FIELD uint8_t
#endif

/* Affine quantization: real = scale * (q - zero_point).
 * num_channels == 0: the tensor is not quantized (scales/zero_points are NULL).
 * num_channels == 1: per-tensor; scale/zero_point hold the values.
 * num_channels  > 1: per-channel along quantized_dimension; scale/zero_point hold
 *                    channel 0's values. Arrays point into the model (read in place). */
typedef struct EmberQuantization {
  float scale;
  int32_t zero_point;
  const float* scales;          /* num_channels entries */
  const int64_t* zero_points;   /* num_channels entries (the model stores int64) */
  int16_t num_channels;         /* up to 32767 channels */
  int8_t quantized_dimension;   /* < num_dims */
  uint8_t reserved;
} EmberQuantization;

/* The full view of a tensor, as kernels see it during init/prepare and applications see
 * the model's inputs and outputs. dims and the quantization arrays point into the model
 * (shapes are static). The runtime builds views on demand while the model is prepared
 * (temporary memory) and keeps persistent ones only for the model's inputs and outputs;
 * at invoke kernels use EmberEvalTensor. The tensor's name stays in the model. */
typedef struct EmberTensor {
  void* data;           /* constant: in the model (flash); others: in the arena */
  const int32_t* dims;  /* num_dims entries */
  uint32_t bytes;       /* element count * element size */
  EmberQuantization quant;
  uint8_t num_dims;     /* up to 255 (the runtime rejects more) */
  EMBER_TYPE_FIELD type; /* an EmberType */
  uint8_t is_constant;  /* data comes from a model buffer */
  uint8_t is_variable;  /* state that persists across Invoke() (e.g. SVDF state) */
} EmberTensor;

/* What a kernel reads of a tensor during invoke: one per tensor lives in the arena for
 * the interpreter's lifetime (12 bytes on a 32-bit target). Everything else (quantization,
 * byte size) is in the full EmberTensor view, which exists only during init/prepare:
 * prepare copies what invoke needs into the op data. */
typedef struct EmberEvalTensor {
  void* data;           /* constant: in the model (flash); others: in the arena */
  const int32_t* dims;  /* num_dims entries, in the model */
  uint8_t num_dims;
  EMBER_TYPE_FIELD type;
  uint8_t is_constant;
  uint8_t is_variable;
} EmberEvalTensor;

/* One op instance. inputs/outputs are tensor indices (an optional, absent input is -1). */
typedef struct EmberNode {
  const int32_t* inputs;
  const int32_t* outputs;
  const void* builtin_data; /* the op's Ember*Params (builtin_params.h), or NULL */
  void* user_data;          /* what init returned */
  int16_t num_inputs;
  int16_t num_outputs;
  int32_t op_index;         /* position in the execution order */
} EmberNode;

typedef struct EmberContext EmberContext;
struct EmberContext {
  /* Full view of a tensor by subgraph index, during init and prepare only; NULL for -1 or
   * an index out of range. The view stays valid until the op's init/prepare returns.
   * During invoke it reports an error and returns NULL: use GetEvalTensor there. */
  EmberTensor* (*GetTensor)(const EmberContext* ctx, int32_t tensor_index);
  /* Memory that lives as long as the interpreter. init/prepare only; NULL when the
   * arena is full (the runtime has already logged bytes needed and available). */
  void* (*AllocatePersistent)(EmberContext* ctx, size_t bytes);
  /* Scratch memory valid during one invoke. Request in prepare, fetch in invoke. */
  EmberStatus (*RequestScratch)(EmberContext* ctx, size_t bytes, int32_t* scratch_index);
  void* (*GetScratch)(EmberContext* ctx, int32_t scratch_index);
  /* printf-style error report (%d %u %ld %lu %s %c %x %f %p %%), tagged by the runtime
   * with the op name and index. Never uses stdio. */
  void (*ReportError)(EmberContext* ctx, const char* format, ...);
  void* impl; /* the runtime's own state */
  /* Name of a tensor, from the model, for messages ("" when it has none or the index is
   * out of range). Tensor views do not carry names (they stay in flash). */
  const char* (*GetTensorName)(const EmberContext* ctx, int32_t tensor_index);
  /* Invoke-time view of a tensor by subgraph index (any phase; data pointers of planned
   * tensors are set once the memory plan exists); NULL for -1 or an index out of range. */
  EmberEvalTensor* (*GetEvalTensor)(const EmberContext* ctx, int32_t tensor_index);
};

typedef struct EmberRegistration {
  const char* name;        /* builtin op name as in the schema, e.g. "CONV_2D" */
  int32_t builtin_code;    /* EmberBuiltinOp (builtin_params.h) */
  const char* variant;     /* "reference", "dsp", ... */
  void* (*init)(EmberContext* ctx, const void* builtin_data);             /* optional */
  EmberStatus (*prepare)(EmberContext* ctx, EmberNode* node);             /* optional */
  EmberStatus (*invoke)(EmberContext* ctx, EmberNode* node);              /* required */
  void (*free)(EmberContext* ctx, void* user_data);                       /* optional */
  /* Multiply-accumulates one invoke performs, for the profiler (optional; after prepare). */
  uint64_t (*count_macs)(const EmberContext* ctx, const EmberNode* node);
} EmberRegistration;

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* EMBER_RUNTIME_KERNEL_API_H_ */
