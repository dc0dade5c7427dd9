// Machine: the Unicorn wrapper, driven with hand-assembled Thumb snippets (the assembly is
// in the comments next to each halfword).
#include "sim/machine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/sim/sim_test_util.h"

namespace ember::sim {
namespace {

using ::testing::HasSubstr;

constexpr uint32_t kFlash = 0x08000000;  // nucleo_f103rb

std::unique_ptr<Machine> MakeMachine(const std::vector<uint16_t>& code) {
  auto m = Machine::Create(testing::Board("nucleo_f103rb"));
  EXPECT_TRUE(m.ok()) << m.status().message();
  if (!m.ok()) return nullptr;
  EXPECT_TRUE((*m)->WriteMemory(kFlash, code.data(), code.size() * 2).ok());
  EXPECT_TRUE((*m)->WriteReg(Reg::kSp, 0x20005000).ok());
  // BKPT ends the snippet.
  Machine* raw = m->get();
  EXPECT_TRUE((*m)->SetInterruptHandler([raw](uint32_t intno) {
                    StopInfo info;
                    info.reason = StopReason::kHostRequest;
                    info.message = "intno " + std::to_string(intno);
                    raw->Stop(info);
                  })
                  .ok());
  return std::move(m).value();
}

TEST(Machine, RunsCodeAndStopsFromTheInterruptHook) {
  auto m = MakeMachine({
      0x2005,  // movs r0, #5
      0x2107,  // movs r1, #7
      0x1842,  // adds r2, r0, r1
      0xbe00,  // bkpt #0
  });
  ASSERT_TRUE(m);
  std::vector<uint32_t> executed;
  ASSERT_TRUE(m->AddCodeHook(kFlash, kFlash + 0xff, [&](uint32_t a, uint32_t) {
                 executed.push_back(a);
               }).ok());
  int blocks = 0;
  ASSERT_TRUE(m->AddBlockHook([&](uint32_t, uint32_t) { ++blocks; }).ok());
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok()) << stop.status().message();
  EXPECT_EQ(stop->reason, StopReason::kHostRequest);
  EXPECT_EQ(stop->message, "intno 7");  // EXCP_BKPT
  EXPECT_EQ(*m->ReadReg(Reg::kR2), 12u);
  const Reg regs[3] = {Reg::kR0, Reg::kR1, Reg::kR2};
  uint32_t values[3] = {0, 0, 0};
  ASSERT_TRUE(m->ReadRegs(regs, values, 3).ok());
  EXPECT_EQ(values[0], 5u);
  EXPECT_EQ(values[1], 7u);
  EXPECT_EQ(values[2], 12u);
  EXPECT_EQ(executed, (std::vector<uint32_t>{kFlash, kFlash + 2, kFlash + 4, kFlash + 6}));
  EXPECT_GE(blocks, 1);
}

TEST(Machine, HooksAfterTheFirstRunAreRejected) {
  auto m = MakeMachine({0xbe00});  // bkpt #0
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->Run(kFlash).ok());
  Status st = m->AddBlockHook([](uint32_t, uint32_t) {});
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("before the first instruction runs"));
  EXPECT_FALSE(m->AddCodeHook(kFlash, kFlash, [](uint32_t, uint32_t) {}).ok());
  EXPECT_FALSE(
      m->AddMemHook(AccessKind::kRead, 0, 1, [](AccessKind, uint32_t, unsigned, uint32_t) {}).ok());
}

class RecordingDevice : public Device {
 public:
  const char* name() const override { return "recorder"; }
  uint32_t Read(uint32_t offset, unsigned size) override {
    reads.push_back({offset, size, 0});
    return 0x1234;
  }
  void Write(uint32_t offset, unsigned size, uint32_t value) override {
    writes.push_back({offset, size, value});
  }
  struct Access {
    uint32_t offset;
    unsigned size;
    uint32_t value;
    bool operator==(const Access& o) const {
      return offset == o.offset && size == o.size && value == o.value;
    }
  };
  std::vector<Access> reads, writes;
};

TEST(Machine, MmioDeviceSeesOffsetsWidthsAndValues) {
  auto m = MakeMachine({
      0x2101,  // movs r1, #1
      0x0789,  // lsls r1, r1, #30        r1 = 0x40000000
      0x20ab,  // movs r0, #0xab
      0x7108,  // strb r0, [r1, #4]
      0x688a,  // ldr  r2, [r1, #8]
      0xbe00,  // bkpt #0
  });
  ASSERT_TRUE(m);
  auto dev = std::make_shared<RecordingDevice>();
  ASSERT_TRUE(m->AddMmio(0x40000000, 0x1000, dev).ok());
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->reason, StopReason::kHostRequest);
  ASSERT_EQ(dev->writes.size(), 1u);
  EXPECT_EQ(dev->writes[0], (RecordingDevice::Access{4, 1, 0xab}));
  ASSERT_EQ(dev->reads.size(), 1u);
  EXPECT_EQ(dev->reads[0], (RecordingDevice::Access{8, 4, 0}));
  EXPECT_EQ(*m->ReadReg(Reg::kR2), 0x1234u);
}

TEST(Machine, MemoryHookSeesStores) {
  auto m = MakeMachine({
      0x2101,  // movs r1, #1
      0x0749,  // lsls r1, r1, #29        r1 = 0x20000000
      0x2055,  // movs r0, #0x55
      0x6008,  // str  r0, [r1, #0]
      0xbe00,  // bkpt #0
  });
  ASSERT_TRUE(m);
  std::vector<std::pair<uint32_t, uint32_t>> stores;
  ASSERT_TRUE(m->AddMemHook(AccessKind::kWrite, 0x20000000, 0x20004fff,
                            [&](AccessKind kind, uint32_t a, unsigned size, uint32_t v) {
                              EXPECT_EQ(kind, AccessKind::kWrite);
                              EXPECT_EQ(size, 4u);
                              stores.push_back({a, v});
                            })
                  .ok());
  ASSERT_TRUE(m->Run(kFlash).ok());
  ASSERT_EQ(stores.size(), 1u);
  EXPECT_EQ(stores[0].first, 0x20000000u);
  EXPECT_EQ(stores[0].second, 0x55u);
  EXPECT_EQ(*m->ReadU32(0x20000000), 0x55u);
}

TEST(Machine, StoreToFlashIsABusErrorWithPreciseAddress) {
  auto m = MakeMachine({
      0x4901,          // ldr  r1, [pc, #4]       r1 = literal below (0x08000100)
      0x2055,          // movs r0, #0x55
      0x6008,          // str  r0, [r1, #0]       -> write to flash
      0xbe00,          // bkpt #0
      0x0100, 0x0800,  // .word 0x08000100
  });
  ASSERT_TRUE(m);
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok());
  ASSERT_EQ(stop->reason, StopReason::kFault);
  EXPECT_EQ(stop->fault.kind, FaultKind::kWriteProtected);
  EXPECT_EQ(stop->fault.address, 0x08000100u);
  EXPECT_EQ(stop->fault.pc, kFlash + 4);  // the str
}

// ObserveReads: the code page stays ordinary memory; the data pages become observed MMIO.
// Reads return the loaded bytes (aligned and unaligned), each read reaches the observer,
// host-side reads see the same bytes, and a store is still a bus error at the store.
struct ObservedReads {
  std::vector<std::pair<uint32_t, unsigned>> reads;
};

void RecordRead(void* ctx, uint32_t address, unsigned size) {
  static_cast<ObservedReads*>(ctx)->reads.emplace_back(address, size);
}

TEST(Machine, ObservedReadsReturnTheBytesAndReachTheObserver) {
  auto m = MakeMachine({
      0x4903,          // ldr  r1, [pc, #12]      r1 = 0x08000800 (literal, code page)
      0x6808,          // ldr  r0, [r1, #0]       observed: 4 bytes at 0x08000800
      0xf8d1, 0x2001,  // ldr.w r2, [r1, #1]      unaligned: Unicorn splits it
      0x784b,          // ldrb r3, [r1, #1]
      0x6008,          // str  r0, [r1, #0]       -> bus error (flash is read-only)
      0xbe00,          // bkpt #0
      0xbf00,          // nop (pad)
      0x0800, 0x0800,  // .word 0x08000800
  });
  ASSERT_TRUE(m);
  const uint8_t data[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
  ASSERT_TRUE(m->WriteMemory(kFlash + 0x800, data, sizeof data).ok());
  ObservedReads seen;
  auto none = m->ObserveReads(kFlash, kFlash + 0x2000, &RecordRead, &seen);
  EXPECT_FALSE(none.ok()) << "no code range known: must refuse";
  m->AddCodeRange(kFlash, kFlash + 0x20);
  auto ranges = m->ObserveReads(kFlash, kFlash + 0x2000, &RecordRead, &seen);
  ASSERT_TRUE(ranges.ok()) << ranges.status().message();
  ASSERT_EQ(ranges->size(), 1u);
  EXPECT_EQ((*ranges)[0].begin, kFlash + 0x400);  // the first 1 KB page holds code
  EXPECT_EQ((*ranges)[0].end, uint64_t{kFlash} + 0x2000);
  uint8_t back[8] = {};
  ASSERT_TRUE(m->ReadMemory(kFlash + 0x7fc, back, sizeof back).ok());  // spans both kinds
  EXPECT_EQ(back[4], 0x11);
  EXPECT_EQ(back[7], 0x44);
  EXPECT_TRUE(seen.reads.empty()) << "host reads are not the program's";

  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok());
  ASSERT_EQ(stop->reason, StopReason::kFault);
  EXPECT_EQ(stop->fault.kind, FaultKind::kWriteProtected);
  EXPECT_EQ(stop->fault.address, kFlash + 0x800);
  EXPECT_EQ(stop->fault.pc, kFlash + 10);  // the str
  EXPECT_EQ(*m->ReadReg(Reg::kR0), 0x44332211u);
  EXPECT_EQ(*m->ReadReg(Reg::kR2), 0x55443322u);
  EXPECT_EQ(*m->ReadReg(Reg::kR3), 0x22u);
  ASSERT_GE(seen.reads.size(), 3u);
  EXPECT_EQ(seen.reads.front(), std::make_pair(kFlash + 0x800, 4u));
  EXPECT_EQ(seen.reads.back(), std::make_pair(kFlash + 0x801, 1u));
  // The unaligned word arrives as aligned pieces covering 0x801..0x804.
  for (size_t i = 1; i + 1 < seen.reads.size(); ++i) {
    EXPECT_GE(seen.reads[i].first, kFlash + 0x800);
    EXPECT_LE(seen.reads[i].first, kFlash + 0x804);
  }
  uint8_t after[4] = {};
  ASSERT_TRUE(m->ReadMemory(kFlash + 0x800, after, 4).ok());
  EXPECT_EQ(after[0], 0x11) << "the faulting store must not change flash";
}

TEST(Machine, UndefinedInstructionIsReportedAtItsAddress) {
  auto m = MakeMachine({
      0x2001,  // movs r0, #1
      0xde07,  // udf #7
  });
  ASSERT_TRUE(m);
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok());
  ASSERT_EQ(stop->reason, StopReason::kFault);
  EXPECT_EQ(stop->fault.kind, FaultKind::kUndefinedInstruction);
  EXPECT_EQ(stop->fault.pc, kFlash + 2);
}

TEST(Machine, DevicesMayNotOverlapMemory) {
  auto m = MakeMachine({0xbe00});
  ASSERT_TRUE(m);
  Status st = m->AddMmio(0x20000000, 0x1000, std::make_shared<RecordingDevice>());
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("overlaps memory sram"));
  EXPECT_FALSE(m->AddMmio(0x40000100, 0x1000, std::make_shared<RecordingDevice>()).ok());
}

TEST(Machine, ItBlockExecutesTheMatchingArm) {
  for (uint16_t value : {1, 2}) {
    auto m = MakeMachine({
        static_cast<uint16_t>(0x2000 | value),  // movs r0, #value
        0x2801,                                 // cmp r0, #1
        0xbf0c,                                 // ite eq
        0x2105,                                 // moveq r1, #5
        0x2106,                                 // movne r1, #6
        0xbe00,                                 // bkpt #0
    });
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->Run(kFlash).ok());
    EXPECT_EQ(*m->ReadReg(Reg::kR1), value == 1 ? 5u : 6u) << "r0 = " << value;
  }
}

TEST(Machine, WfiAndWfeDoNotEndTheRun) {
  auto m = MakeMachine({
      0x2001,  // movs r0, #1
      0xbf30,  // wfi        (Unicorn returns from uc_emu_start here)
      0x2102,  // movs r1, #2
      0xbf20,  // wfe
      0x2203,  // movs r2, #3
      0xbe00,  // bkpt #0
  });
  ASSERT_TRUE(m);
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok());
  EXPECT_EQ(stop->message, "intno 7")
      << StopReasonName(stop->reason) << " " << FaultKindName(stop->fault.kind) << " "
      << stop->fault.detail << " pc " << stop->fault.pc;  // reached the bkpt
  EXPECT_EQ(*m->ReadReg(Reg::kR2), 3u);
}

TEST(Machine, UsesTheBoardsCpuModel) {
  // SDIV exists on the Cortex-M3 model: 12 / 4 = 3.
  auto m = MakeMachine({
      0x200c,          // movs r0, #12
      0x2104,          // movs r1, #4
      0xfb90, 0xf2f1,  // sdiv r2, r0, r1
      0xbe00,          // bkpt #0
  });
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->Run(kFlash).ok());
  EXPECT_EQ(*m->ReadReg(Reg::kR2), 3u);
}

// A code hook added while running (AddCodeHookLate, as the timing model does for the
// operand-dependent instructions of a block it sees for the first time) fires from the next
// execution of the retranslated block on, not in the execution already under way.
TEST(Machine, CodeHookAddedWhileRunningFiresFromTheNextExecution) {
  auto m = MakeMachine({
      0x2000,  // movs r0, #0
      0x210a,  // movs r1, #10
      0x3001,  // loop: adds r0, #1      (kFlash + 4)
      0x3901,  // subs r1, #1
      0xd1fc,  // bne loop
      0xbe00,  // bkpt #0
  });
  ASSERT_TRUE(m);
  int adds_seen = 0;
  int blocks = 0;
  Machine* raw = m.get();
  ASSERT_TRUE(m->AddBlockHook([&](uint32_t, uint32_t) {
                 // Blocks: kFlash..bne (iteration 1), then the loop block (kFlash + 4),
                 // whose first execution (iteration 2) adds the hook, as the timing model
                 // does in Translate. (Measured: when the hook is added during a later
                 // execution of a block that already branched to itself, Unicorn 2.0.1 keeps
                 // running the old translation; the timing model never does that.)
                 if (++blocks != 2) return;
                 EXPECT_TRUE(raw->AddCodeHookLate(
                                    kFlash + 4, kFlash + 5,
                                    [&](uint32_t, uint32_t) { ++adds_seen; }, kFlash + 4,
                                    kFlash + 10)
                                 .ok());
               }).ok());
  auto stop = m->Run(kFlash);
  ASSERT_TRUE(stop.ok()) << stop.status().message();
  EXPECT_EQ(*m->ReadReg(Reg::kR0), 10u);
  EXPECT_EQ(adds_seen, 8);  // iterations 3..10: iteration 2 was already running
  // Before the run, the ordinary AddCodeHook is the way; after it started, it is refused.
  EXPECT_FALSE(m->AddCodeHook(kFlash, kFlash + 1, [](uint32_t, uint32_t) {}).ok());
}

}  // namespace
}  // namespace ember::sim
