// The generated benchmark models run through the whole interpreter with the reference
// kernels, and their scrambled-weight scales do what benchmark_models.h promises: every
// op's output varies (no constant or mostly saturated int8 activations) and the final
// outputs are proper, input-dependent probabilities. Ops whose kernel is not yet in
// kernels/all_ops_resolver.h make the test skip (saying which), never pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include "kernels/all_ops_resolver.h"
#include "models/benchmark_models.h"
#include "models/bmp.h"
#include "runtime/interpreter.h"
#include "runtime/schema/ember_schema_generated.h"

namespace ember::models {
namespace {

constexpr size_t kArenaBytes = 1 << 20;

struct Activity {
  std::vector<std::string> problems;
};

// Checks each int8 op output with more than 8 elements: at least 4 distinct values
// (not constant), and fewer than 60% at +127 (not saturated high). ReLU outputs may
// have many values at -128 (dead units); not all of them may be.
void ObserveOp(void* user, const rt::OpObservation& o) {
  auto* activity = static_cast<Activity*>(user);
  const EmberEvalTensor* t = o.output(0);
  if (t == nullptr || t->type != kEmberInt8) return;
  const uint32_t bytes = rt::TensorBytes(*t);
  if (bytes <= 8) return;
  const int8_t* v = static_cast<const int8_t*>(t->data);
  std::set<int8_t> distinct(v, v + bytes);
  const size_t high = static_cast<size_t>(std::count(v, v + bytes, int8_t{127}));
  if (distinct.size() < 4 || high * 10 > bytes * 6) {
    activity->problems.push_back("op " + std::to_string(o.op_index) + " (" + o.op_name +
                                 "): " + std::to_string(distinct.size()) + " distinct values, " +
                                 std::to_string(high) + " of " + std::to_string(bytes) +
                                 " at 127");
  }
}

class GeneratedModelRun {
 public:
  explicit GeneratedModelRun(const std::string& name) : arena_(new uint8_t[kArenaBytes]) {
    Status s = BuildBenchmarkModel(name, &model_);
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(kernels::AddAllOps(resolver_), kEmberOk);
  }

  // Empty when every op of the model has a registered kernel, else the missing ops.
  std::string MissingKernels() const {
    std::string missing;
    const schema::Model* m = schema::GetModel(model_.data());
    for (const schema::Operator* op : *m->subgraphs()->Get(0)->operators()) {
      const schema::OperatorCode* c = m->operator_codes()->Get(op->opcode_index());
      const int32_t code =
          std::max<int32_t>(static_cast<int32_t>(c->builtin_code()), c->deprecated_builtin_code());
      const std::string op_name =
          schema::EnumNameBuiltinOperator(static_cast<schema::BuiltinOperator>(code));
      if (resolver_.FindBuiltin(code) == nullptr && missing.find(op_name) == std::string::npos) {
        missing += op_name + " ";
      }
    }
    return missing;
  }

  rt::Interpreter& Start() {
    interpreter_ = std::make_unique<rt::Interpreter>(model_.data(), model_.size(), resolver_,
                                                     arena_.get(), kArenaBytes);
    interpreter_->SetOpObserver(&ObserveOp, &activity_);
    EXPECT_EQ(interpreter_->AllocateTensors(), kEmberOk);
    return *interpreter_;
  }

  const Activity& activity() const { return activity_; }

 private:
  std::vector<uint8_t> model_;
  kernels::MicroOpResolver<32> resolver_;
  std::unique_ptr<uint8_t[]> arena_;
  std::unique_ptr<rt::Interpreter> interpreter_;
  Activity activity_;
};

void FillPattern(EmberTensor* t, uint32_t salt) {
  auto* bytes = static_cast<uint8_t*>(t->data);
  for (uint32_t i = 0; i < t->bytes; ++i)
    bytes[i] = static_cast<uint8_t>((i * 7 + 3 + salt * 31) % 256);
}

#define SKIP_IF_KERNELS_MISSING(run)                                                 \
  do {                                                                               \
    const std::string missing = (run).MissingKernels();                              \
    if (!missing.empty()) GTEST_SKIP() << "kernels not registered yet: " << missing; \
  } while (0)

TEST(GeneratedModelsRunTest, VwwGivesProbabilitiesThatDependOnTheImage) {
  GeneratedModelRun run("vww");
  SKIP_IF_KERNELS_MISSING(run);
  rt::Interpreter& interpreter = run.Start();
  ASSERT_TRUE(interpreter.allocated());
  std::vector<std::vector<uint8_t>> images;
  for (const char* name : {"person", "no_person"}) {
    GrayImage img;
    const std::string path = std::string(EMBER_MODELS_DIR) + "/" + name + ".bmp";
    if (std::filesystem::exists(path) && LoadGrayscaleBmp(path, &img, 96, 96).ok()) {
      images.push_back(img.pixels);
    }
  }
  while (images.size() < 2) {  // no test images: two synthetic ones
    std::vector<uint8_t> img(96 * 96);
    for (size_t i = 0; i < img.size(); ++i)
      img[i] = static_cast<uint8_t>(i * (images.size() + 3) / 41);
    images.push_back(img);
  }
  std::vector<std::pair<int, int>> outputs;
  for (const auto& img : images) {
    EmberTensor* in = interpreter.input(0);
    ASSERT_EQ(in->bytes, img.size());
    std::copy(img.begin(), img.end(), static_cast<uint8_t*>(in->data));
    ASSERT_EQ(interpreter.Invoke(), kEmberOk);
    const int8_t* out = static_cast<const int8_t*>(interpreter.output(0)->data);
    outputs.emplace_back(out[0], out[1]);
    // Two probabilities (scale 1/256, zero point -128) summing to about 1.
    EXPECT_NEAR((out[0] + 128) + (out[1] + 128), 256, 2);
  }
  EXPECT_NE(outputs[0], outputs[1]) << "the output does not depend on the input";
  EXPECT_TRUE(run.activity().problems.empty()) << run.activity().problems.front();
}

TEST(GeneratedModelsRunTest, HotwordRunsWithStateAndGivesVaryingProbabilities) {
  GeneratedModelRun run("hotword");
  SKIP_IF_KERNELS_MISSING(run);
  rt::Interpreter& interpreter = run.Start();
  ASSERT_TRUE(interpreter.allocated());
  std::set<std::pair<int32_t, int32_t>> seen;
  for (uint32_t step = 0; step < 8; ++step) {
    FillPattern(interpreter.input(0), step);
    ASSERT_EQ(interpreter.Invoke(), kEmberOk);
    const int32_t* out = static_cast<const int32_t*>(interpreter.output(0)->data);
    // Probabilities with scale 1/32768: each in [0, 32768], summing to about 32768.
    EXPECT_GE(out[0], 0);
    EXPECT_GE(out[1], 0);
    EXPECT_NEAR(out[0] + out[1], 32768, 256);
    seen.emplace(out[0], out[1]);
  }
  EXPECT_GE(seen.size(), 3u) << "the output hardly depends on the input and state";
  EXPECT_TRUE(run.activity().problems.empty()) << run.activity().problems.front();
}

TEST(GeneratedModelsRunTest, ConvRefGivesVaryingProbabilities) {
  GeneratedModelRun run("conv_ref");
  SKIP_IF_KERNELS_MISSING(run);
  rt::Interpreter& interpreter = run.Start();
  ASSERT_TRUE(interpreter.allocated());
  std::set<std::vector<int8_t>> seen;
  for (uint32_t step = 0; step < 4; ++step) {
    FillPattern(interpreter.input(0), step);
    ASSERT_EQ(interpreter.Invoke(), kEmberOk);
    const int8_t* out = static_cast<const int8_t*>(interpreter.output(0)->data);
    int sum = 0;
    for (int i = 0; i < 10; ++i) sum += out[i] + 128;
    EXPECT_NEAR(sum, 256, 10);
    seen.emplace(out, out + 10);
  }
  EXPECT_GE(seen.size(), 2u);
  EXPECT_TRUE(run.activity().problems.empty()) << run.activity().problems.front();
}

// Same architecture => same memory plan: the generated VWW and hotword models need
// exactly the arena of the real models (persistent and nonpersistent parts).
void ExpectSameArena(const std::string& name, const std::string& real_file) {
  const std::string path = std::string(EMBER_MODELS_DIR) + "/" + real_file;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found (EMBER_MODELS_DIR)";
  GeneratedModelRun run(name);
  SKIP_IF_KERNELS_MISSING(run);
  rt::Interpreter& ours = run.Start();
  ASSERT_TRUE(ours.allocated());
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> real_model((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
  kernels::MicroOpResolver<32> resolver;
  ASSERT_EQ(kernels::AddAllOps(resolver), kEmberOk);
  std::unique_ptr<uint8_t[]> arena(new uint8_t[kArenaBytes]);
  rt::Interpreter real(real_model.data(), real_model.size(), resolver, arena.get(), kArenaBytes);
  ASSERT_EQ(real.AllocateTensors(), kEmberOk);
  EXPECT_EQ(ours.arena_usage().nonpersistent, real.arena_usage().nonpersistent);
  EXPECT_EQ(ours.arena_usage().persistent, real.arena_usage().persistent);
  std::printf("%s: arena %zu bytes (%zu persistent + %zu nonpersistent); %s: %zu\n", name.c_str(),
              ours.arena_used_bytes(), ours.arena_usage().persistent,
              ours.arena_usage().nonpersistent, real_file.c_str(), real.arena_used_bytes());
}

TEST(GeneratedModelsRunTest, VwwNeedsTheArenaOfPersonDetect) {
  ExpectSameArena("vww", "person_detect.tflite");
}

TEST(GeneratedModelsRunTest, HotwordNeedsTheArenaOfKeywordScrambled) {
  ExpectSameArena("hotword", "keyword_scrambled.tflite");
}

}  // namespace
}  // namespace ember::models
