// SysTick counter arithmetic and DWT/SCS register behaviour, driven directly (no CPU).
#include "sim/system_control.h"

#include <gtest/gtest.h>

#include "tests/sim/sim_test_util.h"

namespace ember::sim {
namespace {

TEST(SysTick, CountsDownReloadsAndFlags) {
  SysTick t;
  t.WriteRvr(0, 9);    // period 10 cycles
  t.WriteCvr(0);       // CVR = 0
  t.WriteCsr(0, 0x7);  // ENABLE | TICKINT | CLKSOURCE
  EXPECT_FALSE(t.Advance(1));
  EXPECT_EQ(t.ReadCvr(1), 9u);  // reloaded on the first cycle
  EXPECT_EQ(t.ReadCvr(5), 5u);
  EXPECT_TRUE(t.Advance(10));  // reaches 0 at cycle 10
  EXPECT_EQ(t.ReadCvr(10), 0u);
  EXPECT_EQ(t.ReadCvr(11), 9u);
  EXPECT_NE(t.ReadCsr(12) & (1u << 16), 0u);  // COUNTFLAG set ...
  EXPECT_EQ(t.ReadCsr(12) & (1u << 16), 0u);  // ... and cleared by the read
  EXPECT_TRUE(t.Advance(1000));               // many periods later: pending again
  EXPECT_EQ(t.ReadCvr(1000), 0u);             // 1000 = 10 + 99 * 10
}

TEST(SysTick, DisabledDoesNotCount) {
  SysTick t;
  t.WriteRvr(0, 99);
  t.WriteCsr(0, 0x4);  // CLKSOURCE only
  EXPECT_FALSE(t.Advance(1000));
  EXPECT_EQ(t.ReadCvr(1000), 0u);
  t.WriteCsr(1000, 0x5);          // enable without TICKINT
  EXPECT_FALSE(t.Advance(1200));  // wraps but never pends
  EXPECT_NE(t.ReadCsr(1200) & (1u << 16), 0u);
}

TEST(Scs, RegistersReadBack) {
  BoardConfig board = testing::Board("sparkfun_edge");
  uint64_t now = 0;
  SystemControl scs(board, nullptr, [&] { return now; });
  EXPECT_EQ(scs.Read(0xD00, 4), 0x410FC241u);         // CPUID Cortex-M4 r0p1
  EXPECT_EQ(scs.Read(0xD08, 4), board.vector_table);  // VTOR
  EXPECT_FALSE(scs.div0_trap());
  scs.Write(0xD14, 4, scs.Read(0xD14, 4) | 0x10);
  EXPECT_TRUE(scs.div0_trap());
  EXPECT_FALSE(scs.fpu_enabled());
  scs.Write(0xD88, 4, 0xF << 20);
  EXPECT_TRUE(scs.fpu_enabled());
  scs.Write(0xD23, 1, 0x40);  // SHPR3 byte 3: SysTick priority
  EXPECT_EQ(scs.SystemPriority(15), 0x40);
  scs.Write(0xD04, 4, 1u << 28);  // PENDSVSET
  EXPECT_EQ(scs.pending(), 1u << 14);
  EXPECT_NE(scs.Read(0xD04, 4) & (1u << 28), 0u);
}

TEST(Dwt, CyccntNeedsTrcenaAndCyccntena) {
  BoardConfig board = testing::Board("nucleo_f103rb");
  uint64_t now = 100;
  SystemControl scs(board, nullptr, [&] { return now; });
  Dwt dwt(board, &scs, [&] { return now; });
  scs.set_dwt(&dwt);
  dwt.Write(0x000, 4, 1);  // CYCCNTENA without TRCENA: not counting
  now = 200;
  EXPECT_EQ(dwt.Read(0x004, 4), 0u);
  scs.Write(0xDFC, 4, 1u << 24);  // TRCENA
  now = 250;
  EXPECT_EQ(dwt.Read(0x004, 4), 50u);
  dwt.Write(0x004, 4, 0xFFFFFFF0u);  // writable, wraps at 32 bits
  now = 282;
  EXPECT_EQ(dwt.Read(0x004, 4), 0x10u);
  dwt.Write(0x000, 4, 0);  // stop
  now = 1000;
  EXPECT_EQ(dwt.Read(0x004, 4), 0x10u);
  EXPECT_EQ(dwt.Read(0x000, 4) & (1u << 25), 0u);  // NOCYCCNT clear: has a counter
}

}  // namespace
}  // namespace ember::sim
