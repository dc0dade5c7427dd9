// Profiler: one event per op plus Invoke, total = ops + overhead, fixed capacity,
// 32-bit tick extension; the per-op observer.
#include <gtest/gtest.h>

#include <vector>

#include "tests/runtime/test_util.h"

namespace ember::rt {
namespace {

uint64_t g_now = 0;
uint64_t FakeTicks() { return g_now += 10; }  // every read advances 10 ticks
uint32_t g_now32 = 0;
uint32_t FakeTicks32() { return g_now32 += 0x40000000u; }

TEST(Profiler, EventsPerOpAndTotals) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("keyword_scrambled.tflite", &model)) GTEST_SKIP() << "no models";
  testing::CheckerResolver resolver;
  FixedProfiler<64> profiler(&FakeTicks);
  host::AlignedBuffer arena(64 * 1024);
  Interpreter interpreter(model.data(), model.size(), resolver, arena.data(), arena.size(),
                          &profiler);
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  for (int run = 0; run < 2; ++run) {
    testing::PrepareCheckerRun(interpreter);
    ASSERT_EQ(interpreter.Invoke(), kEmberOk);
    ASSERT_EQ(profiler.num_events(), interpreter.operators_size() + 1);  // fresh per Invoke
  }
  size_t ops = 0;
  for (size_t i = 0; i < profiler.num_events(); ++i) {
    const ProfileEvent& e = profiler.event(i);
    EXPECT_GT(e.end, e.begin);
    if (e.op_index >= 0) {
      EXPECT_STREQ(e.tag, interpreter.op_name(static_cast<size_t>(e.op_index)));
      EXPECT_EQ(e.ticks(), 10u);  // one tick read at begin, one at end
      ++ops;
    }
  }
  EXPECT_EQ(ops, interpreter.operators_size());
  EXPECT_EQ(profiler.OpTicks(), 10u * ops);
  EXPECT_GT(profiler.TotalTicks(), profiler.OpTicks());  // the interpreter's own overhead
  EXPECT_EQ(profiler.dropped_events(), 0u);
}

TEST(Profiler, FullEventArrayDropsInsteadOfOverflowing) {
  ProfileEvent events[2];
  Profiler profiler(&FakeTicks, events, 2);
  int32_t a = profiler.BeginEvent("a", 0);
  int32_t b = profiler.BeginEvent("b", 1);
  int32_t c = profiler.BeginEvent("c", 2);
  EXPECT_EQ(c, -1);
  profiler.EndEvent(c);  // harmless
  profiler.EndEvent(b);
  profiler.EndEvent(a);
  EXPECT_EQ(profiler.num_events(), 2u);
  EXPECT_EQ(profiler.dropped_events(), 1u);
}

TEST(Profiler, ThirtyTwoBitCounterIsExtended) {
  g_now32 = 0;
  Profiler profiler(&FakeTicks32, nullptr, 0);
  uint64_t previous = profiler.Now();
  for (int i = 0; i < 10; ++i) {  // wraps every 4 reads
    uint64_t now = profiler.Now();
    EXPECT_EQ(now - previous, 0x40000000u);
    previous = now;
  }
}

struct Seen {
  std::vector<int32_t> ops;
  std::vector<std::string> names;
  int outputs_ok = 0;
};

TEST(Interpreter, OpObserverSeesEveryOpAndItsOutputs) {
  host::AlignedBuffer model;
  if (!testing::LoadRealModel("person_detect.tflite", &model)) GTEST_SKIP() << "no models";
  testing::CheckerResolver resolver;
  host::AlignedBuffer arena(256 * 1024);
  Interpreter interpreter(model.data(), model.size(), resolver, arena.data(), arena.size());
  Seen seen;
  interpreter.SetOpObserver(
      [](void* user, const OpObservation& o) {
        auto* s = static_cast<Seen*>(user);
        s->ops.push_back(o.op_index);
        s->names.push_back(o.op_name);
        const EmberEvalTensor* out = o.output(0);
        // Checker kernels fill outputs with op_index * 13 + 7.
        if (out != nullptr && static_cast<const uint8_t*>(out->data)[0] ==
                                  static_cast<uint8_t>(o.op_index * 13 + 7)) {
          ++s->outputs_ok;
        }
        EXPECT_EQ(o.output(o.node->num_outputs), nullptr);
      },
      &seen);
  ASSERT_EQ(interpreter.AllocateTensors(), kEmberOk);
  testing::PrepareCheckerRun(interpreter);
  ASSERT_EQ(interpreter.Invoke(), kEmberOk);
  ASSERT_EQ(seen.ops.size(), interpreter.operators_size());
  for (size_t i = 0; i < seen.ops.size(); ++i) {
    EXPECT_EQ(seen.ops[i], static_cast<int32_t>(i));
    EXPECT_EQ(seen.names[i], interpreter.op_name(i));
  }
  EXPECT_EQ(seen.names.back(), "SOFTMAX");
  EXPECT_EQ(seen.outputs_ok, static_cast<int>(interpreter.operators_size()));
}

}  // namespace
}  // namespace ember::rt
