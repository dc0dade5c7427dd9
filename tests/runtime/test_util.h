// Helpers for the runtime tests: log capture, model loading from EMBER_MODELS_DIR, and
// test kernels that need nothing from kernels/ (so the runtime is tested on its own).
#ifndef EMBER_TESTS_RUNTIME_TEST_UTIL_H_
#define EMBER_TESTS_RUNTIME_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/host/model_file.h"
#include "runtime/interpreter.h"
#include "runtime/log.h"
#include "runtime/op_resolver.h"

namespace ember::rt::testing {

// Collects every runtime log message while alive.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  const std::string& text() const;
  void Clear();

 private:
  LogHandler previous_;
};

// The real model `name` (e.g. "hello_world_int8.tflite"); false when the models
// directory or the file is missing (tests then GTEST_SKIP).
bool LoadRealModel(const std::string& name, host::AlignedBuffer* out);
std::string ModelsDir();

// "Checker" kernels for every op code the real models use. Prepare requests a scratch
// buffer (of the first output's size) for CONV_2D, DEPTHWISE_CONV_2D and SVDF.
// Invoke: fills its scratch buffer, checks that every non-constant input still holds
// the bytes its producer wrote (a memory-plan overlap would have overwritten them),
// then fills its outputs with a byte derived from the op index. Any mismatch is
// reported (ReportError) and fails Invoke().
class CheckerResolver : public OpResolver<16> {
 public:
  CheckerResolver();
};
// Before each Invoke() with checker kernels: fills the model inputs with a known byte
// and resets the bookkeeping of which tensor holds which byte.
void PrepareCheckerRun(Interpreter& interpreter);

// A float32 "ADD" test kernel (out = in0 + in1, elementwise, same shapes) registered
// under ADD. Prepare requests `scratch_bytes` of scratch when set (see SetAddScratch).
EmberRegistration TestAddRegistration();
// Two ADD ops, float32 [4]: a (input) + c (constant ones) -> t1; t1 + c -> y (output).
std::vector<uint8_t> AddChainModel();
void SetAddScratch(size_t bytes);

}  // namespace ember::rt::testing

#endif  // EMBER_TESTS_RUNTIME_TEST_UTIL_H_
