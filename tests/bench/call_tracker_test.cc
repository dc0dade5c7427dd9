// The shadow call stack behind the simulator's symbol cross-check (bench/call_tracker.h),
// driven with hand-made block sequences: core code at 0x1000-0x1100, a kernel at 0x2000
// calling a helper at 0x3000 and the core's GetTensor at 0x1080.
#include "bench/call_tracker.h"

#include <gtest/gtest.h>

namespace ember::bench {
namespace {

CallTracker MakeTracker() {
  return CallTracker({0x1000, 0x1080, 0x2000, 0x3000}, {{0x1000, 0x1100}});
}

TEST(CallTrackerTest, RecordsCoreToKernelCallsWithCallees) {
  CallTracker t = MakeTracker();
  t.OnBlock(0x1000, 0xfffffff9, 0);  // core function entered from an exception return
  t.OnBlock(0x1010, 0, 5);
  t.OnBlock(0x2000, 0x1021, 10);   // core calls the kernel (BL at 0x101c, ret 0x1020)
  t.OnBlock(0x1080, 0x2011, 12);   // kernel calls core GetTensor: not recorded
  t.OnBlock(0x2010, 0x2011, 20);   // GetTensor returned
  t.OnBlock(0x3000, 0x2021, 25);   // kernel calls helper: nested, not recorded
  t.OnBlock(0x2020, 0x2021, 60);   // helper returned
  t.OnBlock(0x1020, 0x1021, 110);  // kernel returned to the core
  ASSERT_EQ(t.calls().size(), 1u);
  EXPECT_EQ(t.calls()[0].callee, 0x2000u);
  EXPECT_EQ(t.calls()[0].cycles, 100u);
}

TEST(CallTrackerTest, NthCallOfTheSameKernel) {
  CallTracker t = MakeTracker();
  t.OnBlock(0x2000, 0x1021, 0);
  t.OnBlock(0x1020, 0x1021, 40);
  t.OnBlock(0x2000, 0x1041, 50);
  t.OnBlock(0x1040, 0x1041, 150);
  ASSERT_NE(t.NthCall(0x2001, 0), nullptr);
  EXPECT_EQ(t.NthCall(0x2000, 0)->cycles, 40u);
  ASSERT_NE(t.NthCall(0x2000, 1), nullptr);
  EXPECT_EQ(t.NthCall(0x2000, 1)->cycles, 100u);
  EXPECT_EQ(t.NthCall(0x2000, 2), nullptr);
}

TEST(CallTrackerTest, CallsFromOutsideTheCoreAreIgnored) {
  CallTracker t = MakeTracker();
  t.OnBlock(0x2000, 0x5001, 0);  // called from the harness, not the core
  t.OnBlock(0x5000, 0x5001, 30);
  EXPECT_TRUE(t.calls().empty());
}

}  // namespace
}  // namespace ember::bench
