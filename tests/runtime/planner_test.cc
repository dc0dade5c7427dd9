// Memory planners: no two live buffers overlap, on randomized lifetimes and on the
// lifetimes of the real models (checked both statically and by running checker kernels
// that detect overwritten inputs); offline-planned offsets are used and validated.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "models/model_builder.h"
#include "runtime/memory_planner/greedy_planner.h"
#include "runtime/memory_planner/linear_planner.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

using testing::LogCapture;

// Independent overlap check (does not reuse VerifyPlan).
void ExpectNoLiveOverlap(const std::vector<PlannerBuffer>& b) {
  for (size_t i = 0; i < b.size(); ++i) {
    ASSERT_GE(b[i].offset, 0);
    for (size_t j = i + 1; j < b.size(); ++j) {
      bool live_together =
          std::max(b[i].first_op, b[j].first_op) <= std::min(b[i].last_op, b[j].last_op);
      int64_t end_i = int64_t{b[i].offset} + b[i].size;
      int64_t end_j = int64_t{b[j].offset} + b[j].size;
      bool bytes_overlap = b[i].offset < end_j && b[j].offset < end_i;
      ASSERT_FALSE(live_together && bytes_overlap && b[i].size && b[j].size)
          << "buffers " << i << " and " << j;
    }
  }
}

std::vector<PlannerBuffer> RandomBuffers(std::mt19937& rng, size_t n, int ops) {
  std::vector<PlannerBuffer> buffers(n);
  for (auto& b : buffers) {
    b.size = static_cast<uint32_t>(rng() % 5000);
    b.first_op = static_cast<int16_t>(rng() % ops);
    b.last_op = static_cast<int16_t>(b.first_op + rng() % 4);
    b.offset = kOnlinePlanned;
  }
  return buffers;
}

TEST(GreedyPlanner, RandomLifetimesNeverOverlapAndBeatLinear) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 300; ++trial) {
    size_t n = 1 + rng() % 80;
    std::vector<PlannerBuffer> greedy = RandomBuffers(rng, n, 1 + rng() % 30);
    std::vector<PlannerBuffer> linear = greedy;
    std::vector<uint16_t> scratch(GreedyPlanScratchBytes(n) / 2);
    ASSERT_EQ(GreedyPlan(greedy.data(), n, 16, scratch.data(), nullptr, nullptr), kEmberOk);
    ASSERT_EQ(LinearPlan(linear.data(), n, 16), kEmberOk);
    ExpectNoLiveOverlap(greedy);
    ExpectNoLiveOverlap(linear);
    for (const auto& b : greedy) ASSERT_EQ(b.offset % 16, 0);
    // First fit never ends beyond the stacked (linear) sizes, up to the alignment.
    EXPECT_LE(AlignUp(PlanSize(greedy.data(), n), 16), AlignUp(PlanSize(linear.data(), n), 16));
    EXPECT_EQ(VerifyPlan(greedy.data(), n, nullptr, nullptr), kEmberOk);
  }
}

TEST(GreedyPlanner, FixedOffsetsAreKeptAndConflictsReported) {
  std::vector<PlannerBuffer> b = {
      {100, 0, 2, 0},              // fixed at 0
      {64, 1, 3, kOnlinePlanned},  // must go after the fixed one
      {32, 3, 4, 0},               // fixed at 0: not live with buffer 0 -> fine
  };
  std::vector<uint16_t> scratch(b.size() * 2);
  ASSERT_EQ(GreedyPlan(b.data(), b.size(), 16, scratch.data(), nullptr, nullptr), kEmberOk);
  EXPECT_EQ(b[0].offset, 0);
  EXPECT_EQ(b[2].offset, 0);
  EXPECT_GE(b[1].offset, 112);
  ExpectNoLiveOverlap(b);
  std::vector<PlannerBuffer> bad = {{100, 0, 2, 0}, {64, 1, 3, 96}};
  size_t x = 9, y = 9;
  EXPECT_EQ(GreedyPlan(bad.data(), bad.size(), 16, scratch.data(), &x, &y), kEmberError);
  EXPECT_EQ(x, 0u);
  EXPECT_EQ(y, 1u);
  // A deliberately broken plan is caught by VerifyPlan.
  std::vector<PlannerBuffer> broken = {{100, 0, 2, 0}, {64, 1, 3, 50}};
  EXPECT_EQ(VerifyPlan(broken.data(), broken.size(), nullptr, nullptr), kEmberError);
}

// The lifetimes the interpreter must have used, recomputed here from the nodes.
void ExpectRealModelPlanValid(Interpreter& interpreter) {
  size_t n = interpreter.tensors_size();
  int32_t last = static_cast<int32_t>(interpreter.operators_size()) - 1;
  std::vector<int32_t> first(n, INT32_MAX), end(n, -1);
  auto touch = [&](int32_t t, int32_t op) {
    if (t < 0) return;
    first[t] = std::min(first[t], op);
    end[t] = std::max(end[t], op);
  };
  for (size_t i = 0; i < interpreter.inputs_size(); ++i) {
    int32_t t = interpreter.input_tensor_index(i);
    touch(t, 0);
    touch(t, last);
  }
  // Outputs: from the op that writes them to the end (read after Invoke()).
  for (size_t i = 0; i < interpreter.outputs_size(); ++i) {
    touch(interpreter.output_tensor_index(i), last);
  }
  for (size_t op = 0; op < interpreter.operators_size(); ++op) {
    const EmberNode* node = interpreter.node(op);
    for (int k = 0; k < node->num_inputs; ++k) touch(node->inputs[k], static_cast<int32_t>(op));
    for (int k = 0; k < node->num_outputs; ++k) touch(node->outputs[k], static_cast<int32_t>(op));
  }
  std::vector<PlannerBuffer> planned;
  const uint8_t* base = nullptr;
  for (size_t t = 0; t < n; ++t) {
    const EmberEvalTensor* tensor = interpreter.tensor(t);
    if (tensor->is_constant || tensor->is_variable || end[t] < 0) continue;
    const uint8_t* p = static_cast<const uint8_t*>(tensor->data);
    if (base == nullptr || p < base) base = p;
  }
  for (size_t t = 0; t < n; ++t) {
    const EmberEvalTensor* tensor = interpreter.tensor(t);
    if (tensor->is_constant || tensor->is_variable || end[t] < 0) continue;
    ASSERT_NE(tensor->data, nullptr) << "tensor " << t;
    planned.push_back({TensorBytes(*tensor), static_cast<int16_t>(first[t]), static_cast<int16_t>(end[t]),
                       static_cast<int32_t>(static_cast<const uint8_t*>(tensor->data) - base)});
  }
  ASSERT_FALSE(planned.empty());
  ExpectNoLiveOverlap(planned);
}

TEST(Planner, RealModelsNoLiveOverlapGreedyAndLinear) {
  testing::CheckerResolver resolver;
  int found = 0;
  for (const char* name :
       {"hello_world_float.tflite", "hello_world_int8.tflite", "keyword_scrambled.tflite",
        "person_detect.tflite", "micro_speech_quantized.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    ++found;
    size_t greedy_bytes = 0;
    for (PlannerKind kind : {PlannerKind::kGreedy, PlannerKind::kLinear}) {
      SCOPED_TRACE(std::string(name) + (kind == PlannerKind::kGreedy ? " greedy" : " linear"));
      host::AlignedBuffer arena(2 << 20);
      Interpreter interpreter(model.data(), model.size(), resolver, arena.data(), arena.size());
      ASSERT_EQ(interpreter.SetPlanner(kind), kEmberOk);
      ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
      ExpectRealModelPlanValid(interpreter);
      // Running checker kernels: an overlap would corrupt a live input (and fail).
      LogCapture log;
      testing::PrepareCheckerRun(interpreter);
      EXPECT_EQ(interpreter.Invoke(), kEmberOk) << log.text();
      if (kind == PlannerKind::kGreedy) {
        greedy_bytes = interpreter.arena_usage().nonpersistent;
      } else {
        EXPECT_GE(interpreter.arena_usage().nonpersistent, greedy_bytes);
      }
    }
  }
  if (found == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

// a + c -> t1; t1 + c -> t2; t2 + c -> y (4 floats each), with an offline plan.
std::vector<uint8_t> ChainModel(const std::vector<int32_t>& offsets) {
  models::ModelBuilder b;
  using models::TensorType;
  int a = b.AddTensor("a", TensorType::FLOAT32, {4});
  int c = b.AddConstTensor("c", TensorType::FLOAT32, {4}, models::FloatData({1, 1, 1, 1}));
  int t1 = b.AddTensor("t1", TensorType::FLOAT32, {4});
  int t2 = b.AddTensor("t2", TensorType::FLOAT32, {4});
  int y = b.AddTensor("y", TensorType::FLOAT32, {4});
  b.AddOperator(models::BuiltinOperator::ADD, {a, c}, {t1});
  b.AddOperator(models::BuiltinOperator::ADD, {t1, c}, {t2});
  b.AddOperator(models::BuiltinOperator::ADD, {t2, c}, {y});
  b.SetInputs({a});
  b.SetOutputs({y});
  if (!offsets.empty()) b.AddOfflineMemoryAllocation(offsets);
  std::vector<uint8_t> model;
  models::Status s = b.Build(&model);
  EXPECT_TRUE(s.ok()) << s.message();
  return model;
}

struct AddResolver : OpResolver<2> {
  AddResolver() { EXPECT_EQ(AddBuiltin(testing::TestAddRegistration()), kEmberOk); }
};

// A model output lives from the op that writes it, so it may reuse the bytes of tensors
// that died before (a -> t1 -> t2 -> y: y shares t1's bytes; a is kept live).
TEST(Planner, OutputReusesBytesOfTensorsDeadBeforeItsProducer) {
  std::vector<uint8_t> model = ChainModel({});
  AddResolver resolver;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  EXPECT_EQ(interpreter.arena_usage().tensor_data, 48u);  // a, t1/y, t2 (16 B each)
  EXPECT_EQ(interpreter.tensor(4)->data, interpreter.tensor(2)->data);
  float* in = static_cast<float*>(interpreter.input(0)->data);
  for (int i = 0; i < 4; ++i) in[i] = static_cast<float>(i);
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  const float* out = static_cast<const float*>(interpreter.output(0)->data);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(out[i], i + 3.0f);
  // The input is intact after Invoke() (inputs are kept live by default).
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(in[i], static_cast<float>(i));
}

TEST(OfflinePlan, OffsetsAreUsedAndResultsCorrect) {
  // a at 64, t1 at 0, t2 at 32 (t1 and t2 are live together in op 1), y online.
  std::vector<uint8_t> model = ChainModel({64, -1, 0, 32, -1});
  AddResolver resolver;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  EXPECT_TRUE(interpreter.arena_usage().offline_plan);
  const uint8_t* head = arena;
  EXPECT_EQ(static_cast<uint8_t*>(interpreter.tensor(0)->data) - head, 64);
  EXPECT_EQ(static_cast<uint8_t*>(interpreter.tensor(2)->data) - head, 0);
  EXPECT_EQ(static_cast<uint8_t*>(interpreter.tensor(3)->data) - head, 32);
  float* in = static_cast<float*>(interpreter.input(0)->data);
  for (int i = 0; i < 4; ++i) in[i] = static_cast<float>(i);
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  const float* out = static_cast<const float*>(interpreter.output(0)->data);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(out[i], i + 3.0f);
}

TEST(OfflinePlan, OverlappingLiveBuffersAreAnError) {
  // t1 and t2 are both live in op 1 but share bytes 8..15.
  std::vector<uint8_t> model = ChainModel({64, -1, 0, 8, -1});
  AddResolver resolver;
  LogCapture log;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  EXPECT_EQ(interpreter.AllocateTensors(), kEmberError);
  EXPECT_NE(log.text().find("tensor 2 't1' (offset 0, 16 bytes, ops 0-1) and tensor 3 't2' "
                            "(offset 8, 16 bytes, ops 1-2) overlap while both are live "
                            "(offsets from OfflineMemoryAllocation)"),
            std::string::npos)
      << log.text();
}

TEST(OfflinePlan, MisalignedOffsetIsAnError) {
  std::vector<uint8_t> model = ChainModel({66, -1, -1, -1, -1});
  AddResolver resolver;
  LogCapture log;
  alignas(16) static uint8_t arena[4096];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  EXPECT_EQ(interpreter.AllocateTensors(), kEmberError);
  EXPECT_NE(log.text().find("offset 66 of tensor 0 'a' is not aligned"), std::string::npos)
      << log.text();
}

}  // namespace
}  // namespace ember::rt
