// Two memory banks: the nonpersistent head (and AllocateTensors()' temporaries) in one
// block, the persistent tail in another (ArenaAllocator split mode, the Interpreter's
// two-arena constructor).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "runtime/arena_allocator/arena_allocator.h"
#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

using testing::CheckerResolver;
using testing::LogCapture;

bool Inside(const void* p, const uint8_t* block, size_t bytes) {
  const uint8_t* q = static_cast<const uint8_t*>(p);
  return q >= block && q < block + bytes;
}

TEST(SplitArena, AllocatorKeepsEachStackInItsBlock) {
  alignas(16) uint8_t head[128];
  alignas(16) uint8_t tail[64];
  ArenaAllocator arena(head, sizeof(head), tail, sizeof(tail));
  ASSERT_TRUE(arena.split());
  EXPECT_EQ(arena.capacity(), 128u);
  EXPECT_EQ(arena.persistent_capacity(), 64u);
  uint8_t* p = arena.AllocatePersistent(10, 8);
  EXPECT_EQ(p, tail + 64 - 16);
  // The head block is all the temporaries' (the tail is elsewhere).
  EXPECT_EQ(arena.AllocateTemp(128, 1), head);
  EXPECT_EQ(arena.AllocateTemp(1, 1), nullptr);
  EXPECT_FALSE(arena.failure().persistent_block);
  EXPECT_EQ(arena.failure().needed_total, 144u);
  arena.ResetTemp();
  EXPECT_EQ(arena.AllocatePersistent(48, 16), tail);  // exactly fills the tail block
  EXPECT_EQ(arena.AllocatePersistent(1, 1), nullptr);
  EXPECT_TRUE(arena.failure().persistent_block);
  EXPECT_EQ(arena.failure().available, 0u);
  EXPECT_EQ(arena.failure().needed_total, 80u);
  ASSERT_EQ(arena.CommitHead(128), kEmberOk);
  EXPECT_EQ(arena.CommitHead(129), kEmberError);
  EXPECT_EQ(arena.minimal_arena_bytes(), 144u);       // the failed requests count
  EXPECT_EQ(arena.minimal_persistent_bytes(), 80u);
}

TEST(SplitArena, UnusableOrOverlappingBlocksHaveNoCapacity) {
  alignas(16) static uint8_t buffer[512];
  ArenaAllocator overlap(buffer, 256, buffer + 128, 256);
  EXPECT_TRUE(overlap.split());
  EXPECT_EQ(overlap.capacity(), 0u);
  EXPECT_EQ(overlap.AllocatePersistent(1, 1), nullptr);
  ArenaAllocator no_tail(buffer, 256, nullptr, 256);
  EXPECT_EQ(no_tail.capacity(), 0u);
  ArenaAllocator tiny_tail(buffer, 256, buffer + 256 + 1, 20);  // < 16 aligned bytes
  EXPECT_EQ(tiny_tail.capacity(), 0u);
  ArenaAllocator fine(buffer, 256, buffer + 256, 256);  // adjacent is fine
  EXPECT_EQ(fine.capacity(), 256u);
  EXPECT_EQ(fine.persistent_capacity(), 256u);
}

// a (input) + c -> t1 -> y, float32 [4]: the test ADD kernel allocates op data.
std::vector<uint8_t> ChainModel() { return testing::AddChainModel(); }

struct AddResolver : OpResolver<2> {
  AddResolver() { EXPECT_EQ(AddBuiltin(testing::TestAddRegistration()), kEmberOk); }
};

TEST(SplitArena, InterpreterPlacesHeadAndTailInTheirBlocksAndComputes) {
  std::vector<uint8_t> model = ChainModel();
  AddResolver resolver;
  alignas(16) static uint8_t head[1024];
  alignas(16) static uint8_t tail[2048];
  Interpreter interpreter(model.data(), model.size(), resolver, head, sizeof(head), tail,
                          sizeof(tail));
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  const ArenaUsage& u = interpreter.arena_usage();
  EXPECT_EQ(u.nonpersistent, 48u);  // a, t1, y
  EXPECT_GT(u.persistent, 0u);
  EXPECT_EQ(u.minimal_persistent_arena, AlignUp(u.persistent, kArenaAlignment));
  EXPECT_EQ(interpreter.minimal_persistent_arena_bytes(), u.minimal_persistent_arena);
  for (size_t t : {size_t{0}, size_t{2}, size_t{3}}) {
    EXPECT_TRUE(Inside(interpreter.tensor(t)->data, head, sizeof(head))) << t;
  }
  // Records and views are persistent: in the tail block.
  EXPECT_TRUE(Inside(interpreter.tensor(0), tail, sizeof(tail)));
  EXPECT_TRUE(Inside(interpreter.input(0), tail, sizeof(tail)));
  EXPECT_TRUE(Inside(interpreter.node(0)->user_data, tail, sizeof(tail)));
  float* in = static_cast<float*>(interpreter.input(0)->data);
  for (int i = 0; i < 4; ++i) in[i] = static_cast<float>(i);
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  const float* out = static_cast<const float*>(interpreter.output(0)->data);
  for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(out[i], i + 2.0f);
}

TEST(SplitArena, MinimalSizesAreExactAndFailuresNameTheBlock) {
  std::vector<uint8_t> model = ChainModel();
  AddResolver resolver;
  alignas(16) static uint8_t head[1024];
  alignas(16) static uint8_t tail[2048];
  size_t np = 0, p = 0;
  {
    Interpreter big(model.data(), model.size(), resolver, head, sizeof(head), tail, sizeof(tail));
    ASSERT_EQ(big.AllocateTensors(), kEmberOk);
    np = big.minimal_arena_bytes();
    p = big.minimal_persistent_arena_bytes();
  }
  ASSERT_GT(np, 0u);
  ASSERT_GT(p, 0u);
  {
    Interpreter exact(model.data(), model.size(), resolver, head, np, tail, p);
    EXPECT_EQ(exact.AllocateTensors(), kEmberOk);
    EXPECT_EQ(exact.minimal_arena_bytes(), np);
    EXPECT_EQ(exact.minimal_persistent_arena_bytes(), p);
  }
  {
    LogCapture log;
    Interpreter short_tail(model.data(), model.size(), resolver, head, np, tail, p - 1);
    EXPECT_EQ(short_tail.AllocateTensors(), kEmberError);
    EXPECT_NE(log.text().find("persistent arena too small: "), std::string::npos) << log.text();
    EXPECT_NE(log.text().find("(persistent arena " + std::to_string(p - 16) + " bytes"),
              std::string::npos)
        << log.text();
  }
  {
    LogCapture log;
    Interpreter short_head(model.data(), model.size(), resolver, head, np - 1, tail, p);
    EXPECT_EQ(short_head.AllocateTensors(), kEmberError);
    EXPECT_NE(log.text().find("arena too small: "), std::string::npos) << log.text();
    EXPECT_NE(log.text().find("(nonpersistent arena " + std::to_string(np - 16) + " bytes"),
              std::string::npos)
        << log.text();
    EXPECT_EQ(log.text().find("persistent arena too small"), std::string::npos) << log.text();
  }
  {
    LogCapture log;
    Interpreter overlap(model.data(), model.size(), resolver, head, 512, head + 256, 512);
    EXPECT_EQ(overlap.AllocateTensors(), kEmberError);
    EXPECT_NE(log.text().find("must not overlap"), std::string::npos) << log.text();
  }
}

// Real models with the checker kernels: the split layout needs exactly the single arena's
// persistent and nonpersistent bytes (the head block also holds the temporaries).
TEST(SplitArena, RealModelsSameFiguresAsOneArena) {
  CheckerResolver resolver;
  int found = 0;
  for (const char* name : {"keyword_scrambled.tflite", "person_detect.tflite",
                           "hello_world_int8.tflite"}) {
    host::AlignedBuffer model;
    if (!testing::LoadRealModel(name, &model)) continue;
    ++found;
    SCOPED_TRACE(name);
    host::AlignedBuffer one(1 << 20), head(1 << 20), tail(1 << 20);
    Interpreter single(model.data(), model.size(), resolver, one.data(), one.size());
    Interpreter split(model.data(), model.size(), resolver, head.data(), head.size(), tail.data(),
                      tail.size());
    ASSERT_EQ(single.AllocateTensors(), kEmberOk);
    ASSERT_EQ(split.AllocateTensors(), kEmberOk);
    const ArenaUsage& a = single.arena_usage();
    const ArenaUsage& b = split.arena_usage();
    EXPECT_EQ(a.persistent, b.persistent);
    EXPECT_EQ(a.nonpersistent, b.nonpersistent);
    EXPECT_EQ(b.minimal_persistent_arena, b.persistent);  // the tail ends 16-aligned
    EXPECT_GE(b.minimal_arena, b.nonpersistent);
    EXPECT_EQ(a.minimal_persistent_arena, 0u);
    testing::PrepareCheckerRun(split);
    EXPECT_EQ(split.Invoke(), kEmberOk);
  }
  if (found == 0) GTEST_SKIP() << "real models not found in " << testing::ModelsDir();
}

}  // namespace
}  // namespace ember::rt
