// Real models end to end with ember's kernels: hello_world produces ~sin(x); the golden
// outputs of keyword_scrambled and person_detect are reproduced bit for bit when their
// kernels are registered (skipped, naming the missing op, otherwise).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tests/runtime/test_util.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"

namespace ember::rt {
namespace {

using testing::LogCapture;

struct AllOps {
  kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  AllOps() { EXPECT_EQ(kernels::AddAllOps(resolver), kEmberOk); }
};

float RunHelloWorld(Interpreter& interpreter, float x) {
  EmberTensor* in = interpreter.input(0);
  if (in->type == kEmberFloat32) {
    std::memcpy(in->data, &x, 4);
  } else {
    float q = std::round(x / in->quant.scale) + in->quant.zero_point;
    *static_cast<int8_t*>(in->data) = static_cast<int8_t>(std::fmax(-128, std::fmin(127, q)));
  }
  EXPECT_EQ(interpreter.Invoke(), kEmberOk);
  const EmberTensor* out = interpreter.output(0);
  if (out->type == kEmberFloat32) return *static_cast<const float*>(out->data);
  return out->quant.scale * (*static_cast<const int8_t*>(out->data) - out->quant.zero_point);
}

// x in [0, 5.5]: the model's own error grows towards 2*pi (int8 at x = 6: 0.06).
void ExpectSine(const char* name, float tolerance) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel(name, &model)) GTEST_SKIP() << "real models missing";
  AllOps ops;
  alignas(16) static uint8_t arena[4096];
  LogCapture log;
  Interpreter interpreter(model.data(), model.size(), ops.resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk) << log.text();
  for (float x : {0.0f, 0.5f, 1.0f, 1.5708f, 2.5f, 3.1416f, 4.0f, 5.0f, 5.5f}) {
    EXPECT_NEAR(RunHelloWorld(interpreter, x), std::sin(x), tolerance) << "x = " << x;
  }
}

TEST(RealModels, HelloWorldFloatIsSine) { ExpectSine("hello_world_float.tflite", 0.05f); }
TEST(RealModels, HelloWorldInt8IsSine) { ExpectSine("hello_world_int8.tflite", 0.05f); }

// Runs `name` on the golden input and compares the output bytes.
void ExpectGolden(const char* name, const char* input, const char* output) {
  host::AlignedBuffer model, in, out;
  std::string error;
  if (!testing::LoadRealModel(name, &model) ||
      !host::LoadFile(testing::ModelsDir() + "/golden/" + input, &in, &error) ||
      !host::LoadFile(testing::ModelsDir() + "/golden/" + output, &out, &error)) {
    GTEST_SKIP() << "real models or golden files missing";
  }
  AllOps ops;
  host::AlignedBuffer arena(256 * 1024);
  LogCapture log;
  Interpreter interpreter(model.data(), model.size(), ops.resolver, arena.data(), arena.size());
  if (interpreter.AllocateTensors() != kEmberOk) {
    if (log.text().find("not registered") != std::string::npos) {
      GTEST_SKIP() << "kernel missing: " << log.text();
    }
    FAIL() << log.text();
  }
  ASSERT_EQ(interpreter.input(0)->bytes, in.size());
  std::memcpy(interpreter.input(0)->data, in.data(), in.size());
  for (int run = 0; run < 2; ++run) {  // variable state reset between runs
    ASSERT_EQ(interpreter.ResetVariableTensors(), kEmberOk);
    ASSERT_EQ(interpreter.Invoke(), kEmberOk) << log.text();
    ASSERT_EQ(interpreter.output(0)->bytes, out.size());
    EXPECT_EQ(std::memcmp(interpreter.output(0)->data, out.data(), out.size()), 0) << name;
  }
}

TEST(RealModels, KeywordGolden) {
  ExpectGolden("keyword_scrambled.tflite", "keyword_scrambled_pattern_input.bin",
               "keyword_scrambled_pattern_output.bin");
}
TEST(RealModels, PersonDetectGoldenPerson) {
  ExpectGolden("person_detect.tflite", "person_detect_person_input.bin",
               "person_detect_person_output.bin");
}
TEST(RealModels, PersonDetectGoldenNoPerson) {
  ExpectGolden("person_detect.tflite", "person_detect_no_person_input.bin",
               "person_detect_no_person_output.bin");
}

}  // namespace
}  // namespace ember::rt
#endif  // EMBER_HAVE_KERNELS
