// End-to-end tests: cross-compiled firmware (tests/sim/firmware) on the board descriptions.
// Functional checks use the fallback cycle model (1 cycle per instruction) so they do not
// depend on the timing model's numbers; TimingModel* tests use ember_sim_timing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "tests/sim/sim_test_util.h"

namespace ember::sim {
namespace {

using ::ember::sim::testing::FirmwareRun;
using ::ember::sim::testing::Model;
using ::ember::sim::testing::RunFirmware;
using ::testing::HasSubstr;

class HelloOnEveryBoard : public ::testing::TestWithParam<const char*> {};

TEST_P(HelloOnEveryBoard, PrintfStderrAndExitCode) {
  std::string board = GetParam();
  EMBER_REQUIRE_FIRMWARE("hello_" + board);
  FirmwareRun run = RunFirmware("hello_" + board, board);
  EXPECT_EQ(run.result.stop.reason, StopReason::kExit) << run.result.report;
  EXPECT_EQ(run.result.exit_code, 3);
  EXPECT_EQ(run.out, "hello from ember: 6 * 7 = 42\n");
  EXPECT_EQ(run.err, "to stderr\n");
  EXPECT_GT(run.result.instructions, 1000u);
  // Fallback model: exactly one cycle per instruction.
  EXPECT_EQ(run.result.cycles, run.result.instructions);
}

INSTANTIATE_TEST_SUITE_P(Boards, HelloOnEveryBoard,
                         ::testing::Values("sparkfun_edge", "arduino_nano_33_ble",
                                           "stm32f746g_disco", "nucleo_f103rb",
                                           "raspberry_pi_pico"));

TEST(TimingModel, HelloCostsMoreCyclesThanInstructionsFromWaitStateFlash) {
#if !defined(EMBER_HAVE_SIM_TIMING)
  GTEST_SKIP() << "ember_sim_timing not built";
#endif
  EMBER_REQUIRE_FIRMWARE("hello_nucleo_f103rb");
  FirmwareRun run =
      RunFirmware("hello_nucleo_f103rb", "nucleo_f103rb", "", 50'000'000, Model::kTiming);
  EXPECT_EQ(run.result.exit_code, 3) << run.result.report;
  EXPECT_EQ(run.out, "hello from ember: 6 * 7 = 42\n");
  // Loads take 2 cycles and the flash has 2 wait states: CPI > 1.
  EXPECT_GT(run.result.cycles, run.result.instructions);
}

// Cortex-M7 L1 caches follow the program's SCB CCR writes (off at reset). The timed loop
// reads a 1 KB const table in flash 8 times: with the caches off each 32-byte flash line
// read pays 7 wait states (one line buffered): 8 x 32 x 7 = 1792 stall cycles; with the
// D-cache on the table fits (4 KB) and only the first pass misses: 32 x 7 = 224. The code
// is the same, so the difference is about 1568; turning the caches off again restores the
// first time.
TEST(TimingModel, M7CachesFollowTheProgramsCcrWrites) {
  EMBER_REQUIRE_FIRMWARE("m7_cache_stm32f746g_disco");
  FirmwareRun run = RunFirmware("m7_cache_stm32f746g_disco", "stm32f746g_disco", "", 50'000'000,
                                testing::Model::kTiming);
  ASSERT_EQ(run.result.exit_code, 0) << run.out << run.result.report;
  unsigned long off = 0, on = 0, off_again = 0;
  ASSERT_EQ(std::sscanf(run.out.c_str(), "off=%lu on=%lu off_again=%lu", &off, &on, &off_again), 3)
      << run.out;
  EXPECT_GE(off - on, 1400u) << run.out;
  EXPECT_LE(off - on, 1700u) << run.out;
  EXPECT_LT(off > off_again ? off - off_again : off_again - off, 100u) << run.out;
}

TEST(Fpu, HardFloatFirmwareRunsAfterCpacrEnable) {
  for (const char* board : {"sparkfun_edge", "stm32f746g_disco"}) {
    std::string name = std::string("fpu_") + board;
    if (!std::filesystem::exists(testing::FirmwarePath(name))) GTEST_SKIP();
    FirmwareRun run = RunFirmware(name, board);
    EXPECT_EQ(run.result.exit_code, 0) << board << ": " << run.result.report;
    EXPECT_EQ(run.out, "fpu: 2.50 * 4.00 = 10.00\n") << board;
  }
}

// --- faults: reason, pc symbol, address ---

struct FaultCase {
  const char* scenario;
  FaultKind kind;
  const char* symbol;  // expected function in the report's pc line
  uint32_t address;    // expected faulting address (0: none checked)
};

class Faults : public ::testing::TestWithParam<FaultCase> {};

TEST_P(Faults, ReportNamesReasonSymbolAndAddress) {
  const FaultCase& c = GetParam();
  EMBER_REQUIRE_FIRMWARE("scenarios_sparkfun_edge");
  FirmwareRun run = RunFirmware("scenarios_sparkfun_edge", "sparkfun_edge", c.scenario);
  ASSERT_EQ(run.result.stop.reason, StopReason::kFault) << run.result.report;
  EXPECT_NE(run.result.exit_code, 0);
  const Fault& f = run.result.stop.fault;
  EXPECT_EQ(f.kind, c.kind) << run.result.report;
  EXPECT_THAT(run.result.report, HasSubstr(FaultKindName(c.kind)));
  EXPECT_THAT(run.result.report, HasSubstr(std::string(c.symbol) + "+0x"));
  if (c.address != 0) {
    EXPECT_TRUE(f.has_address);
    EXPECT_EQ(f.address, c.address);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, Faults,
    ::testing::Values(
        FaultCase{"read_unmapped", FaultKind::kUnmappedRead, "ReadUnmapped", 0x30000000},
        FaultCase{"write_unmapped", FaultKind::kUnmappedWrite, "WriteUnmapped", 0x30000010},
        FaultCase{"write_flash", FaultKind::kWriteProtected, "WriteFlash", 0},
        FaultCase{"undefined", FaultKind::kUndefinedInstruction, "Undefined", 0},
        FaultCase{"div0_trap", FaultKind::kDivideByZero, "Divide", 0},
        FaultCase{"fpu_disabled", FaultKind::kNoCoprocessor, "UseFpu", 0}),
    [](const ::testing::TestParamInfo<FaultCase>& info) { return info.param.scenario; });

TEST(Faults, UnmappedFetchReportsTheCaller) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "jump_unmapped");
  ASSERT_EQ(run.result.stop.reason, StopReason::kFault);
  EXPECT_EQ(run.result.stop.fault.kind, FaultKind::kUnmappedFetch);
  EXPECT_EQ(run.result.stop.fault.address, 0x30000000u);
  EXPECT_THAT(run.result.report, HasSubstr("lr"));
  // JumpToNowhere tail-calls through a register, so lr is its caller's return address.
  EXPECT_THAT(run.result.report, HasSubstr("lr       0x"));
  EXPECT_THAT(run.result.report, HasSubstr("main+0x"));
}

TEST(Faults, DivideByZeroWithoutTrapReturnsZero) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "div0_notrap");
  EXPECT_EQ(run.result.stop.reason, StopReason::kExit) << run.result.report;
  EXPECT_EQ(run.result.exit_code, 0);
}

TEST(Faults, DivideByZeroTrapOnM3) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "div0_trap");
  ASSERT_EQ(run.result.stop.reason, StopReason::kFault) << run.result.report;
  EXPECT_EQ(run.result.stop.fault.kind, FaultKind::kDivideByZero);
  EXPECT_THAT(run.result.report, HasSubstr("Divide+0x"));
}

TEST(Budget, InfiniteLoopHitsMaxCycles) {
  EMBER_REQUIRE_FIRMWARE("scenarios_raspberry_pi_pico");
  FirmwareRun run =
      RunFirmware("scenarios_raspberry_pi_pico", "raspberry_pi_pico", "loop", 2'000'000);
  EXPECT_EQ(run.result.stop.reason, StopReason::kCycleBudget);
  EXPECT_NE(run.result.exit_code, 0);
  EXPECT_GE(run.result.cycles, 2'000'000u);
  EXPECT_LT(run.result.cycles, 2'000'100u);  // checked at every block: stops promptly
  EXPECT_THAT(run.result.report, HasSubstr("Spin+0x"));
}

// --- system control space ---

TEST(Scs, CpuIdPerCore) {
  struct {
    const char* fw;
    const char* board;
    const char* cpuid;
  } cases[] = {{"scenarios_sparkfun_edge", "sparkfun_edge", "cpuid=410fc241\n"},
               {"scenarios_nucleo_f103rb", "nucleo_f103rb", "cpuid=412fc231\n"},
               {"scenarios_raspberry_pi_pico", "raspberry_pi_pico", "cpuid=410cc601\n"}};
  for (const auto& c : cases) {
    if (!std::filesystem::exists(testing::FirmwarePath(c.fw))) GTEST_SKIP();
    FirmwareRun run = RunFirmware(c.fw, c.board, "cpuid");
    EXPECT_EQ(run.out, c.cpuid) << c.board;
  }
}

TEST(Scs, DwtCycleCounterCountsModeledCycles) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "dwt");
  ASSERT_EQ(run.result.exit_code, 0) << run.out << run.result.report;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.out, m, std::regex("cyccnt loop=(\\d+) start=(\\d+)")));
  uint64_t loop = std::stoull(m[1]);
  // 1000 iterations of a volatile counter loop (~7-9 instructions each) at 1 cycle per
  // instruction in the fallback model.
  EXPECT_GE(loop, 5000u);
  EXPECT_LE(loop, 12000u);
  EXPECT_LE(std::stoull(m[2]), 10u);  // written 0, read right after enabling
}

TEST(Scs, DwtCycleCounterFollowsTheTimingModel) {
#if !defined(EMBER_HAVE_SIM_TIMING)
  GTEST_SKIP() << "ember_sim_timing not built";
#endif
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun fallback = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "dwt");
  FirmwareRun timed =
      RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "dwt", 50'000'000, Model::kTiming);
  ASSERT_EQ(timed.result.exit_code, 0) << timed.out << timed.result.report;
  std::smatch a, b;
  ASSERT_TRUE(std::regex_search(fallback.out, a, std::regex("loop=(\\d+)")));
  ASSERT_TRUE(std::regex_search(timed.out, b, std::regex("loop=(\\d+)")));
  // Same instructions; the timing model charges loads, branches and flash wait states.
  EXPECT_GT(std::stoull(b[1]), std::stoull(a[1]));
}

TEST(Scs, CortexM0PlusHasNoCycleCounter) {
  EMBER_REQUIRE_FIRMWARE("scenarios_raspberry_pi_pico");
  FirmwareRun run = RunFirmware("scenarios_raspberry_pi_pico", "raspberry_pi_pico", "dwt");
  EXPECT_EQ(run.result.exit_code, 12);  // CYCCNT reads 0 and ignores writes
}

TEST(Scs, SysTickInterruptsAndExceptionReturnPreserveState) {
  for (const char* board : {"sparkfun_edge", "nucleo_f103rb", "raspberry_pi_pico"}) {
    std::string fw = std::string("scenarios_") + board;
    if (!std::filesystem::exists(testing::FirmwarePath(fw))) GTEST_SKIP();
    FirmwareRun run = RunFirmware(fw, board, "systick");
    ASSERT_EQ(run.result.exit_code, 0) << board << ": " << run.out << run.result.report;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(run.out, m, std::regex("ticks=(\\d+)"))) << run.out;
    uint64_t ticks = std::stoull(m[1]);
    EXPECT_GT(ticks, 10u) << board;
    EXPECT_EQ(run.result.exceptions_taken, ticks) << board;
    // One tick per 1000 cycles: the ticks cannot exceed cycles / 1000.
    EXPECT_LE(ticks, run.result.cycles / 1000) << board;
    EXPECT_THAT(run.out, HasSubstr("countflag after")) << board;
  }
}

TEST(Scs, WfiSleepsUntilSysTick) {
  EMBER_REQUIRE_FIRMWARE("scenarios_raspberry_pi_pico");
  FirmwareRun run = RunFirmware("scenarios_raspberry_pi_pico", "raspberry_pi_pico", "wfi");
  ASSERT_EQ(run.result.exit_code, 0) << run.result.report;
  EXPECT_EQ(run.out, "woke 3 times\n");
  EXPECT_GE(run.result.cycles, 3u * 5000);  // three full SysTick periods passed
}

TEST(Scs, PendSvSetPendsTheException) {
  EMBER_REQUIRE_FIRMWARE("scenarios_sparkfun_edge");
  FirmwareRun run = RunFirmware("scenarios_sparkfun_edge", "sparkfun_edge", "pendsv");
  EXPECT_EQ(run.result.exit_code, 0) << run.result.report;
  EXPECT_EQ(run.result.exceptions_taken, 1u);
}

TEST(Scs, SvcEntersTheHandlerAndReturns) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "svc");
  EXPECT_EQ(run.result.exit_code, 0) << run.result.report;
  EXPECT_EQ(run.result.exceptions_taken, 2u);
}

}  // namespace
}  // namespace ember::sim

namespace ember::sim {
namespace {

TEST(Speed, WorkloadGivesTheSameResultWithEveryModel) {
  EMBER_REQUIRE_FIRMWARE("speed_raspberry_pi_pico");
  FirmwareRun fallback = RunFirmware("speed_raspberry_pi_pico", "raspberry_pi_pico", "1");
  EXPECT_EQ(fallback.result.exit_code, 0) << fallback.result.report;
  EXPECT_THAT(fallback.out, ::testing::HasSubstr("speed: 1 repeats, checksum"));
#if defined(EMBER_HAVE_SIM_TIMING)
  FirmwareRun timed = RunFirmware("speed_raspberry_pi_pico", "raspberry_pi_pico", "1", 50'000'000,
                                  testing::Model::kTiming);
  EXPECT_EQ(timed.out, fallback.out);
  EXPECT_EQ(timed.result.instructions, fallback.result.instructions);
  // M0+ from XIP flash: loads, taken branches and cache misses cost more than 1 cycle.
  EXPECT_GT(timed.result.cycles, timed.result.instructions);
#endif
}

TEST(TimingModel, SysTickAndExceptionsWorkWithTheTimingModel) {
#if !defined(EMBER_HAVE_SIM_TIMING)
  GTEST_SKIP() << "ember_sim_timing not built";
#endif
  EMBER_REQUIRE_FIRMWARE("scenarios_sparkfun_edge");
  FirmwareRun run = RunFirmware("scenarios_sparkfun_edge", "sparkfun_edge", "systick", 50'000'000,
                                testing::Model::kTiming);
  ASSERT_EQ(run.result.exit_code, 0) << run.out << run.result.report;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.out, m, std::regex("ticks=(\\d+)")));
  EXPECT_EQ(run.result.exceptions_taken, std::stoull(m[1]));
  EXPECT_LE(std::stoull(m[1]), run.result.cycles / 1000);
}

}  // namespace
}  // namespace ember::sim

namespace ember::sim {
namespace {

TEST(Semihosting, ClockHeapInfoFilesErrnoStdin) {
  EMBER_REQUIRE_FIRMWARE("scenarios_nucleo_f103rb");
  FirmwareRun run = RunFirmware("scenarios_nucleo_f103rb", "nucleo_f103rb", "semihosting");
  ASSERT_EQ(run.result.exit_code, 0) << run.result.report;
  EXPECT_THAT(run.out, ::testing::HasSubstr("tickfreq=72000000 elapsed=1 "));
  // Heap from the ELF's end symbol up to the stack; stack below the initial SP (top of the
  // 20 KB SRAM), given min(64 KB, half the free space).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      run.out, m, std::regex("heap=([0-9a-f]+)-([0-9a-f]+) stack=([0-9a-f]+)-([0-9a-f]+)")));
  uint32_t heap_base = std::stoul(m[1], nullptr, 16), heap_limit = std::stoul(m[2], nullptr, 16);
  uint32_t stack_base = std::stoul(m[3], nullptr, 16), stack_limit = std::stoul(m[4], nullptr, 16);
  EXPECT_EQ(stack_base, 0x20005000u);
  EXPECT_EQ(heap_limit, stack_limit);
  EXPECT_LT(heap_base, heap_limit);
  EXPECT_EQ(stack_base - stack_limit, ((stack_base - heap_base) / 2) & ~7u);
  EXPECT_THAT(run.out, ::testing::HasSubstr("end_ok=1 clock_ok=1"));
  EXPECT_THAT(run.out,
              ::testing::HasSubstr("time_ok=1 fopen=refused errno=13 stdin_eof=1 isatty=1"));
}

TEST(Uart, TransmitRegisterWritesReachTheOutput) {
  for (const char* board : {"sparkfun_edge", "raspberry_pi_pico", "nucleo_f103rb"}) {
    std::string fw = std::string("scenarios_") + board;
    if (!std::filesystem::exists(testing::FirmwarePath(fw))) GTEST_SKIP();
    FirmwareRun run = RunFirmware(fw, board, std::string("uart_") + board);
    EXPECT_EQ(run.result.exit_code, 0) << board << ": " << run.result.report;
    EXPECT_EQ(run.out, "uart ok\n") << board;
  }
}

}  // namespace
}  // namespace ember::sim
