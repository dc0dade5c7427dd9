// Test harness for the timing microbenchmarks: loads a Thumb assembly image (assembled
// at build time: <name>.bin = objcopy -O binary of the object, <name>.sym = nm of it) into
// a Machine built from an in-test board, attaches the real CycleModel and runs one
// benchmark symbol until it returns (LR = the machine's stop address).
//
// Cycle accounting at the edges: the run starts with no previous block (no refill), and
// ends when the final `bx lr` reaches the stop address, before any further block, so the
// refill of that last branch is never charged. The .S comments count the same way.
#ifndef EMBER_TESTS_SIM_TIMING_TIMING_HARNESS_H_
#define EMBER_TESTS_SIM_TIMING_TIMING_HARNESS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/board.h"
#include "sim/machine.h"
#include "sim/status.h"

namespace ember::sim::timing::testing {

constexpr uint32_t kFlashBase = 0x08000000;
constexpr uint32_t kSramBase = 0x20000000;
constexpr uint32_t kSramSize = 0x10000;
constexpr uint32_t kDataAddr = 0x20001000;  // scratch data the benchmarks load/store

struct AsmImage {
  std::vector<uint8_t> bytes;
  std::map<std::string, uint32_t> symbols;  // offset inside `bytes`
};

// Reads EMBER_TIMING_ASM_DIR/<name>.bin and .sym.
Result<AsmImage> LoadAsmImage(const std::string& name);

// Data the flash tests read (inside every board's flash).
constexpr uint32_t kFlashDataOffset = 0x8000;

// A board with 64 KB flash at kFlashBase (read wait states `flash_ws`) and 64 KB zero-wait
// SRAM at kSramBase; FPU/DSP on for M4/M7.
BoardConfig TestBoard(CoreKind core, uint32_t flash_ws = 0);

struct BenchRun {
  uint64_t cycles = 0;
  uint64_t instructions = 0;
  uint32_t r[4] = {};  // r0-r3 after the run
};

struct BenchSpec {
  const AsmImage* image = nullptr;
  std::string symbol;
  uint32_t load_base = kSramBase;  // where the image is placed (kFlashBase or kSramBase)
  std::vector<std::pair<Reg, uint32_t>> regs;        // initial register values
  std::vector<std::pair<uint32_t, uint32_t>> words;  // initial data words (address, value)
  // Cortex-M7: run as if the firmware had invalidated and enabled the L1 caches (CCR.IC/DC;
  // both are off at reset, see RegionTiming::l1_switchable). No effect on other cores.
  bool l1_caches_on = true;
};

// Runs one benchmark; the stack is at the top of the memory containing kSramBase (or of
// the board's first RAM).
Result<BenchRun> RunBench(const BoardConfig& board, const BenchSpec& spec);

// The same with r0 = kDataAddr, three data words at kDataAddr ({kDataAddr + 16, 7, 9}) and
// `regs` on top; a failure is reported through gtest and yields zeros.
BenchRun RunSimple(const BoardConfig& board, const AsmImage& image, const std::string& symbol,
                   std::vector<std::pair<Reg, uint32_t>> regs = {}, uint32_t load_base = kSramBase);

}  // namespace ember::sim::timing::testing

#endif  // EMBER_TESTS_SIM_TIMING_TIMING_HARNESS_H_
