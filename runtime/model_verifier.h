// The FlatBuffers verification of a .tflite model, written to be small on the target.
//
// It checks exactly what flatc's generated VerifyModelBuffer() checks (every table,
// vector, string and scalar field of the schema, alignment, depth and table limits,
// through flatbuffers::Verifier), but Model, SubGraph and Operator are verified by
// hand-written code in which the BuiltinOptions union is checked from one table of
// field sizes instead of one generated Verify() per option type (about 90 cases,
// ~2.3 KB of Thumb code on a Cortex-M). Tensor, Buffer, OperatorCode, Metadata and
// SignatureDef use the generated Verify(). tests/runtime/model_verifier_test.cc checks
// that both verifiers agree on valid models and on thousands of corrupted ones.
#ifndef EMBER_RUNTIME_MODEL_VERIFIER_H_
#define EMBER_RUNTIME_MODEL_VERIFIER_H_

#include <stddef.h>
#include <stdint.h>

namespace ember::rt {

// true when `bytes` bytes at `data` are a structurally valid model (file identifier
// "TFL3" included). Never reads outside [data, data + bytes).
[[nodiscard]] bool VerifyModelBytes(const uint8_t* data, size_t bytes);

}  // namespace ember::rt

#endif  // EMBER_RUNTIME_MODEL_VERIFIER_H_
