// The two-stack arena, the arena report and the smallest working arena.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/arena_allocator/arena_allocator.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

using testing::CheckerResolver;
using testing::LogCapture;

TEST(ArenaAllocator, StacksGrowTowardsEachOtherAndNeverCross) {
  alignas(16) uint8_t buffer[256];
  ArenaAllocator arena(buffer, sizeof(buffer));
  ASSERT_EQ(arena.capacity(), 256u);
  uint8_t* p1 = arena.AllocatePersistent(10, 8);
  ASSERT_EQ(p1, buffer + 256 - 16);
  uint8_t* t1 = arena.AllocateTemp(100, 4);
  ASSERT_EQ(t1, buffer);
  EXPECT_EQ(arena.AllocatePersistent(200, 8), nullptr);
  EXPECT_EQ(arena.failure().requested, 200u);
  EXPECT_EQ(arena.failure().available, 256u - 16 - 100);
  arena.ResetTemp();
  ASSERT_EQ(arena.CommitHead(64), kEmberOk);
  EXPECT_EQ(arena.AllocateTemp(1, 1), buffer + 64);  // temporaries start above the head
  arena.ResetTemp();
  EXPECT_EQ(arena.CommitHead(256), kEmberError);
  EXPECT_EQ(arena.failure().needed_total, 256u + 16);
  // High-water mark: temporaries (100) + tail (16) was the peak before the failures.
  EXPECT_GE(arena.high_water(), 116u);
}

TEST(ArenaAllocator, UnalignedArenaIsAlignedInside) {
  alignas(16) uint8_t buffer[300];
  ArenaAllocator arena(buffer + 3, 290);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(arena.head()) % 16, 0u);
  EXPECT_EQ(arena.capacity() % 16, 0u);
  uint8_t* p = arena.AllocatePersistent(5, 16);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
  ArenaAllocator none(nullptr, 1000);
  EXPECT_EQ(none.AllocatePersistent(1, 1), nullptr);
}

const char* const kRealModels[] = {"hello_world_float.tflite", "hello_world_int8.tflite",
                                   "keyword_scrambled.tflite", "person_detect.tflite",
                                   "micro_speech_quantized.tflite"};

TEST(Arena, TooSmallStatesBytesNeededAndAvailable) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("keyword_scrambled.tflite", &model)) {
    GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
  }
  CheckerResolver resolver;
  LogCapture log;
  alignas(16) static uint8_t arena[1024];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberError);
  EXPECT_NE(log.text().find("arena too small: "), std::string::npos) << log.text();
  EXPECT_NE(log.text().find(" bytes, "), std::string::npos) << log.text();
  EXPECT_NE(log.text().find(" available (arena 1024 bytes"), std::string::npos) << log.text();
  EXPECT_EQ(interpreter.Invoke(), kEmberError);
}

// For every real model: the reported minimal arena works exactly, one byte less fails,
// and the breakdown adds up.
TEST(Arena, MinimalArenaIsExactOnRealModels) {
  CheckerResolver resolver;
  int found = 0;
  for (const char* name : kRealModels) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    ++found;
    SCOPED_TRACE(name);
    host::AlignedBuffer big(1 << 20);
    Interpreter first(model.data(), model.size(), resolver, big.data(), big.size());
    ASSERT_EQ(first.AllocateTensors(), kEmberOk);
    const ArenaUsage& u = first.arena_usage();
    EXPECT_EQ(u.persistent, u.tensor_metadata + u.op_data + u.variable_tensor_data);
    EXPECT_EQ(u.nonpersistent, u.tensor_data + u.scratch);
    EXPECT_EQ(u.total, u.persistent + u.nonpersistent);
    EXPECT_EQ(first.arena_used_bytes(), u.total);
    EXPECT_GE(u.minimal_arena, u.total);
    const size_t minimal = first.minimal_arena_bytes();

    host::AlignedBuffer exact(minimal);
    Interpreter fits(model.data(), model.size(), resolver, exact.data(), minimal);
    ASSERT_EQ(fits.AllocateTensors(), kEmberOk);
    EXPECT_EQ(fits.minimal_arena_bytes(), minimal);
    testing::PrepareCheckerRun(fits);
    EXPECT_EQ(fits.Invoke(), kEmberOk);

    LogCapture log;
    host::AlignedBuffer smaller(minimal - 1);
    Interpreter short_by_one(model.data(), model.size(), resolver, smaller.data(), minimal - 1);
    EXPECT_EQ(short_by_one.AllocateTensors(), kEmberError);
    EXPECT_NE(log.text().find("arena too small"), std::string::npos) << log.text();
  }
  if (found == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

// The "reusing inputs" figures equal what a run with SetKeepInputsLive(false) reports,
// and the kernels' share of op data is part of op data.
TEST(Arena, ReusingInputsFigureMatchesARunThatReusesThem) {
  CheckerResolver resolver;
  int found = 0;
  for (const char* name : kRealModels) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    ++found;
    SCOPED_TRACE(name);
    host::AlignedBuffer a(1 << 20), b(1 << 20);
    Interpreter keep(model.data(), model.size(), resolver, a.data(), a.size());
    Interpreter reuse(model.data(), model.size(), resolver, b.data(), b.size());
    ASSERT_EQ(reuse.SetKeepInputsLive(false), kEmberOk);
    ASSERT_EQ(keep.AllocateTensors(), kEmberOk);
    ASSERT_EQ(reuse.AllocateTensors(), kEmberOk);
    const ArenaUsage& k = keep.arena_usage();
    const ArenaUsage& r = reuse.arena_usage();
    EXPECT_EQ(k.nonpersistent_reusing_inputs, r.nonpersistent);
    EXPECT_EQ(k.total_reusing_inputs, r.total);
    EXPECT_LE(k.nonpersistent_reusing_inputs, k.nonpersistent);
    EXPECT_EQ(r.nonpersistent_reusing_inputs, r.nonpersistent);
    EXPECT_EQ(r.total_reusing_inputs, r.total);
    EXPECT_LE(k.kernel_op_data, k.op_data);
    EXPECT_GT(k.kernel_op_data, 0u) << "the checker kernels allocate op data";
  }
  if (found == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

TEST(Arena, TensorsLiveWhereTheBreakdownSays) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("keyword_scrambled.tflite", &model)) {
    GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
  }
  CheckerResolver resolver;
  host::AlignedBuffer arena(64 * 1024);
  Interpreter interpreter(model.data(), model.size(), resolver, arena.data(), arena.size());
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  const uint8_t* head = arena.data();  // 16-byte aligned: the head starts here
  size_t variables = 0;
  for (size_t i = 0; i < interpreter.tensors_size(); ++i) {
    const EmberEvalTensor* t = interpreter.tensor(i);
    const uint32_t bytes = TensorBytes(*t);
    const uint8_t* p = static_cast<const uint8_t*>(t->data);
    if (t->is_constant) {
      EXPECT_TRUE(p >= model.data() && p + bytes <= model.data() + model.size()) << i;
    } else if (t->is_variable) {
      ++variables;
      // Variable tensors are persistent (tail) and zeroed.
      EXPECT_GE(p, arena.data() + arena.size() - interpreter.arena_usage().persistent);
      for (uint32_t k = 0; k < bytes; ++k) ASSERT_EQ(p[k], 0);
    } else if (p != nullptr) {
      EXPECT_GE(p, head);
      EXPECT_LE(p + bytes, head + interpreter.arena_usage().nonpersistent) << i;
    }
  }
  EXPECT_GT(variables, 0u) << "keyword_scrambled has SVDF state tensors";
  // ResetVariableTensors() zeroes them again.
  for (size_t i = 0; i < interpreter.tensors_size(); ++i) {
    EmberEvalTensor* t = interpreter.tensor(i);
    const uint32_t bytes = TensorBytes(*t);
    if (t->is_variable) std::memset(t->data, 0x77, bytes);
  }
  ASSERT_EQ(interpreter.ResetVariableTensors(), kEmberOk);
  for (size_t i = 0; i < interpreter.tensors_size(); ++i) {
    const EmberEvalTensor* t = interpreter.tensor(i);
    const uint32_t bytes = TensorBytes(*t);
    if (!t->is_variable) continue;
    for (uint32_t k = 0; k < bytes; ++k) ASSERT_EQ(static_cast<uint8_t*>(t->data)[k], 0);
  }
}

TEST(Arena, AllocateTensorsTwiceAndMisuseAreErrors) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("hello_world_float.tflite", &model)) {
    GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
  }
  CheckerResolver resolver;
  LogCapture log;
  alignas(16) static uint8_t arena[8192];
  Interpreter interpreter(model.data(), model.size(), resolver, arena, sizeof(arena));
  EXPECT_EQ(interpreter.input(0), nullptr);  // before AllocateTensors
  EXPECT_EQ(interpreter.Invoke(), kEmberError);
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  EXPECT_EQ(interpreter.AllocateTensors(), kEmberError);
  EXPECT_EQ(interpreter.input(1), nullptr);
  EXPECT_NE(log.text().find("input(1) out of range: the model has 1 inputs"), std::string::npos);
  EXPECT_EQ(interpreter.SetPlanner(PlannerKind::kLinear), kEmberError);
  Interpreter no_arena(model.data(), model.size(), resolver, nullptr, 0);
  EXPECT_EQ(no_arena.AllocateTensors(), kEmberError);
}

}  // namespace
}  // namespace ember::rt
