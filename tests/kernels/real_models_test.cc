// The real benchmark models through the whole interpreter with ember's kernels, compared
// byte for byte with the golden outputs of TensorFlow Lite Micro's reference kernels
// (../shared/models/golden, see its README for how they were produced), once with the
// reference kernels and once with the DSP variants of CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED (portable instruction versions on the host). Skipped when the models
// directory or the runtime library is absent.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kernels/micro_op_resolver.h"
#include "kernels/registrations.h"

#ifdef EMBER_HAVE_MODEL_BUILDER
#include "runtime/interpreter.h"
#endif

namespace ember::kernels {
namespace {

bool ReadFile(const std::string& path, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

enum class Variant { kReference, kDsp };

#ifdef EMBER_HAVE_MODEL_BUILDER
void ExpectGolden(const std::string& model_name, const std::string& golden_prefix,
                  Variant variant) {
  const std::string dir = EMBER_MODELS_DIR;
  std::vector<uint8_t> model, input, expected;
  if (!ReadFile(dir + "/" + model_name, &model) ||
      !ReadFile(dir + "/golden/" + golden_prefix + "_input.bin", &input) ||
      !ReadFile(dir + "/golden/" + golden_prefix + "_output.bin", &expected)) {
    GTEST_SKIP() << "models or golden files not found under " << dir;
  }
  MicroOpResolver<12> resolver;
  const bool dsp = variant == Variant::kDsp;
  ASSERT_EQ(resolver.AddConv2d(dsp ? RegisterConv2dDsp() : RegisterConv2d()), kEmberOk);
  ASSERT_EQ(resolver.AddDepthwiseConv2d(dsp ? RegisterDepthwiseConv2dDsp()
                                            : RegisterDepthwiseConv2d()),
            kEmberOk);
  ASSERT_EQ(resolver.AddFullyConnected(dsp ? RegisterFullyConnectedDsp()
                                           : RegisterFullyConnected()),
            kEmberOk);
  ASSERT_EQ(resolver.AddAveragePool2d(), kEmberOk);
  ASSERT_EQ(resolver.AddReshape(), kEmberOk);
  ASSERT_EQ(resolver.AddSoftmax(), kEmberOk);
  ASSERT_EQ(resolver.AddQuantize(), kEmberOk);
  ASSERT_EQ(resolver.AddSvdf(), kEmberOk);
  std::vector<uint8_t> arena(512 * 1024);
  rt::Interpreter interpreter(model.data(), model.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  EmberTensor* in = interpreter.input(0);
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(in->bytes, input.size());
  std::memcpy(in->data, input.data(), input.size());
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  const EmberTensor* out = interpreter.output(0);
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(out->bytes, expected.size());
  const auto* got = static_cast<const uint8_t*>(out->data);
  EXPECT_EQ(std::vector<uint8_t>(got, got + out->bytes), expected);
}
#else
void ExpectGolden(const std::string&, const std::string&, Variant) {
  GTEST_SKIP() << "built without the runtime (ember_runtime / ember_model_builder)";
}
#endif

TEST(RealModels, PersonDetectPersonReference) {
  ExpectGolden("person_detect.tflite", "person_detect_person", Variant::kReference);
}
TEST(RealModels, PersonDetectNoPersonReference) {
  ExpectGolden("person_detect.tflite", "person_detect_no_person", Variant::kReference);
}
TEST(RealModels, PersonDetectPersonDsp) {
  ExpectGolden("person_detect.tflite", "person_detect_person", Variant::kDsp);
}
TEST(RealModels, PersonDetectNoPersonDsp) {
  ExpectGolden("person_detect.tflite", "person_detect_no_person", Variant::kDsp);
}
TEST(RealModels, KeywordScrambledPatternReference) {
  ExpectGolden("keyword_scrambled.tflite", "keyword_scrambled_pattern", Variant::kReference);
}
TEST(RealModels, KeywordScrambledPatternDsp) {
  ExpectGolden("keyword_scrambled.tflite", "keyword_scrambled_pattern", Variant::kDsp);
}

}  // namespace
}  // namespace ember::kernels
