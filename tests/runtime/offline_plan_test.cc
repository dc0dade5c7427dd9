// `ember plan`'s library (runtime/host/offline_plan.h): the written model carries the
// plan as OfflineMemoryAllocation metadata, runs with the offline plan, and gives the same
// outputs and the same arena size as the online plan it came from; bad inputs fail clearly.
#include "runtime/host/offline_plan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "models/benchmark_models.h"
#include "models/model_builder.h"
#include "runtime/host/model_file.h"
#include "runtime/schema/ember_schema_generated.h"
#include "tests/runtime/test_util.h"

#if defined(EMBER_HAVE_KERNELS)
#include "kernels/all_ops_resolver.h"
#endif

namespace ember::rt {
namespace {

struct RunOutcome {
  bool ok = false;
  ArenaUsage usage;
  std::vector<std::vector<uint8_t>> outputs;
  std::vector<int32_t> offsets;
};

#if defined(EMBER_HAVE_KERNELS)
// Runs `model` (copied to an aligned buffer) with the greedy planner and the 'pattern'
// input; records outputs, arena usage and the planned tensor offsets.
RunOutcome Run(const std::vector<uint8_t>& bytes) {
  host::AlignedBuffer model(bytes.size());
  std::memcpy(model.data(), bytes.data(), bytes.size());
  static kernels::MicroOpResolver<kernels::kAllOpsCount> resolver;
  static bool registered = kernels::AddAllOps(resolver) == kEmberOk;
  EXPECT_TRUE(registered);
  std::vector<uint8_t> arena(4 << 20);
  uint8_t* aligned = reinterpret_cast<uint8_t*>(
      AlignUp(reinterpret_cast<uintptr_t>(arena.data()), kArenaAlignment));
  Interpreter interpreter(model.data(), model.size(), resolver, aligned, (4 << 20) - 16);
  RunOutcome r;
  if (interpreter.AllocateTensors() != kEmberOk) return r;
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    EmberTensor* in = interpreter.input(i);
    uint8_t* p = static_cast<uint8_t*>(in->data);
    for (uint32_t b = 0; b < in->bytes; ++b) p[b] = static_cast<uint8_t>(b * 7 + 3);
  }
  if (interpreter.Invoke() != kEmberOk) return r;
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    const EmberTensor* out = interpreter.output(i);
    const uint8_t* p = static_cast<const uint8_t*>(out->data);
    r.outputs.emplace_back(p, p + out->bytes);
  }
  for (size_t i = 0; i < interpreter.tensors_size(); ++i) {
    r.offsets.push_back(interpreter.planned_offset(i));
  }
  r.usage = interpreter.arena_usage();
  r.ok = true;
  return r;
}

// Plans `model`, writes the planned copy, checks the copy against the original run.
void CheckRoundTrip(const std::string& name, const std::vector<uint8_t>& model, bool linear) {
  SCOPED_TRACE(name + (linear ? " (linear)" : " (greedy)"));
  host::OfflinePlan plan;
  std::string error;
  ASSERT_TRUE(host::ComputeOfflinePlan(model.data(), model.size(), linear, &plan, &error)) << error;
  std::vector<uint8_t> planned;
  ASSERT_TRUE(
      host::AddOfflinePlanMetadata(model.data(), model.size(), plan.offsets, &planned, &error))
      << error;
  // The metadata is there, in TFLM's layout.
  const schema::Model* m = schema::GetModel(planned.data());
  ASSERT_NE(m->metadata(), nullptr);
  const schema::Metadata* meta = m->metadata()->Get(m->metadata()->size() - 1);
  EXPECT_EQ(meta->name()->str(), "OfflineMemoryAllocation");
  const auto* data = m->buffers()->Get(meta->buffer())->data();
  ASSERT_EQ(data->size(), 12 + 4 * plan.offsets.size());
  std::vector<int32_t> words(data->size() / 4);
  std::memcpy(words.data(), data->data(), data->size());
  EXPECT_EQ(words[0], 0);  // version
  EXPECT_EQ(words[1], 0);  // subgraph
  EXPECT_EQ(words[2], static_cast<int32_t>(plan.offsets.size()));
  EXPECT_EQ(std::vector<int32_t>(words.begin() + 3, words.end()), plan.offsets);

  RunOutcome online = Run(model);
  RunOutcome offline = Run(planned);
  ASSERT_TRUE(online.ok);
  ASSERT_TRUE(offline.ok);
  EXPECT_FALSE(online.usage.offline_plan);
  EXPECT_TRUE(offline.usage.offline_plan);
  EXPECT_EQ(offline.outputs, online.outputs);
  EXPECT_EQ(offline.offsets, plan.offsets);  // the runtime used the written offsets
  EXPECT_EQ(offline.usage.persistent, online.usage.persistent);
  if (linear) {
    // The linear plan's tensor offsets are kept; scratch buffers (planned online) may now
    // fill gaps between them, so the arena can only shrink, never below the tensors.
    EXPECT_LE(offline.usage.nonpersistent, plan.usage.nonpersistent);
    EXPECT_GE(offline.usage.nonpersistent, plan.usage.tensor_data);
  } else {
    EXPECT_EQ(offline.usage.nonpersistent, plan.usage.nonpersistent);
    EXPECT_EQ(offline.usage.total, plan.usage.total);
    EXPECT_EQ(offline.usage.minimal_arena, online.usage.minimal_arena);
  }
  // Planning the planned model again replaces the metadata instead of adding a second one.
  host::OfflinePlan again;
  ASSERT_TRUE(host::ComputeOfflinePlan(planned.data(), planned.size(), linear, &again, &error));
  std::vector<uint8_t> twice;
  ASSERT_TRUE(
      host::AddOfflinePlanMetadata(planned.data(), planned.size(), again.offsets, &twice, &error));
  const schema::Model* m2 = schema::GetModel(twice.data());
  int count = 0;
  for (const schema::Metadata* md : *m2->metadata()) {
    count += md->name()->str() == "OfflineMemoryAllocation" ? 1 : 0;
  }
  EXPECT_EQ(count, 1);
  RunOutcome third = Run(twice);
  ASSERT_TRUE(third.ok);
  EXPECT_EQ(third.outputs, online.outputs);
}

TEST(OfflinePlan, GeneratedBenchmarkModelsRoundTrip) {
  for (const std::string& name : models::BenchmarkModelNames()) {
    std::vector<uint8_t> model;
    ASSERT_TRUE(models::BuildBenchmarkModel(name, &model).ok()) << name;
    CheckRoundTrip(name, model, /*linear=*/false);
  }
}

TEST(OfflinePlan, RealModelsRoundTrip) {
  int checked = 0;
  for (const char* name : {"person_detect.tflite", "keyword_scrambled.tflite",
                           "hello_world_int8.tflite", "micro_speech_quantized.tflite"}) {
    host::AlignedBuffer buffer;
    if (!testing::LoadRealModel(name, &buffer)) continue;
    std::vector<uint8_t> model(buffer.data(), buffer.data() + buffer.size());
    CheckRoundTrip(name, model, /*linear=*/false);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

TEST(OfflinePlan, LinearPlanRoundTrip) {
  std::vector<uint8_t> model;
  ASSERT_TRUE(models::BuildBenchmarkModel("hotword", &model).ok());
  CheckRoundTrip("hotword", model, /*linear=*/true);
}
#endif  // EMBER_HAVE_KERNELS

TEST(OfflinePlan, NotAFlatbuffer) {
  std::vector<uint8_t> junk(256, 0x5A);
  host::OfflinePlan plan;
  std::string error;
  EXPECT_FALSE(host::ComputeOfflinePlan(junk.data(), junk.size(), false, &plan, &error));
  EXPECT_NE(error.find("not a TensorFlow Lite model"), std::string::npos) << error;
  std::vector<uint8_t> out;
  error.clear();
  EXPECT_FALSE(host::AddOfflinePlanMetadata(junk.data(), junk.size(), {}, &out, &error));
  EXPECT_NE(error.find("verification failed"), std::string::npos) << error;
}

TEST(OfflinePlan, UnsupportedOpIsAClearError) {
  models::ModelBuilder builder;
  int a = builder.AddTensor("a", schema::TensorType::FLOAT32, {1, 4});
  int y = builder.AddTensor("y", schema::TensorType::FLOAT32, {1, 4});
  builder.AddOperator(schema::BuiltinOperator::HARD_SWISH, {a}, {y});
  builder.SetInputs({a});
  builder.SetOutputs({y});
  std::vector<uint8_t> model;
  ASSERT_TRUE(builder.Build(&model).ok());
  host::AlignedBuffer aligned(model.size());
  std::memcpy(aligned.data(), model.data(), model.size());
  host::OfflinePlan plan;
  std::string error;
  EXPECT_FALSE(host::ComputeOfflinePlan(aligned.data(), aligned.size(), false, &plan, &error));
  EXPECT_NE(error.find("HARD_SWISH"), std::string::npos) << error;
}

TEST(OfflinePlan, PlanOfTheWrongSize) {
  std::vector<uint8_t> model;
  ASSERT_TRUE(models::BuildBenchmarkModel("conv_ref", &model).ok());
  std::vector<uint8_t> out;
  std::string error;
  EXPECT_FALSE(host::AddOfflinePlanMetadata(model.data(), model.size(), {0, 1}, &out, &error));
  EXPECT_NE(error.find("does not match"), std::string::npos) << error;
}

}  // namespace
}  // namespace ember::rt
