// TimingCycleModel: ember's cycle-approximating timing model for Cortex-M0+/M3/M4/M7.
//
// THE MODEL
// Unicorn runs the program functionally; this class observes it and counts cycles.
//  1. Static cost per basic block. The first time Unicorn reports a translated block
//     (UC_HOOK_BLOCK: address, size), its bytes are decoded once with Capstone (Thumb +
//     M-class) and priced with the core's rules (core_costs.cc, m7_costs.cc): issue cycles
//     per instruction class from Arm's tables, load/store pipelining, address-dependency
//     interlocks, IT folding, LDM/STM by register count, FPU costs, and on the M7 a
//     dual-issue scoreboard. The result is cached by (address, size) and charged on every
//     later execution of the block with a hash-free lookup in a direct-mapped front table.
//     Instructions of an IT block whose condition fails are still charged (they occupy
//     issue slots even though Unicorn does not report them to code hooks).
//  2. Branches. Blocks end at branches. When the next block starts somewhere other than
//     the fall-through address of the previous one (or the branch was unconditional), the
//     previous block's refill penalty P is charged (M3/M4: 1 direct, 2 from a register,
//     3 from memory, +1 for a 32-bit target at a halfword address; M0+: 1). A not-taken
//     conditional branch costs just its issue cycle. M7: a 2-bit-counter predictor per
//     branch (mispredict 8), a last-target predictor for indirect branches, returns
//     predicted.
//  3. Operand-dependent instructions (SDIV/UDIV on M3/M4/M7; SMULL/UMULL/SMLAL/UMLAL on
//     M3): Attach() scans the executable memories for their encodings and puts a code
//     hook on exactly those addresses; the hook reads the operand registers and charges
//     2-12 cycles (divide) or 3-7 (M3 long multiply). Everything else has no
//     per-instruction hook. Code that appears after Attach (copied to RAM at run time)
//     gets the static mid-range cost for these instructions instead. Every call of a
//     Unicorn code hook walks ALL installed code hooks, so with more than
//     kEagerOperandHooks candidates (firmware; the sweep also matches data) a candidate is
//     hooked only when a block holding it first runs: that first run pays the static
//     mid-range cost (divide 7, long multiply 4/5), later runs the operand-exact cost
//     (measured: -18..+30 cycles on the nucleo_f103rb firmware, 0 on the M4/M7 boards,
//     whose firmware has fewer candidates).
//  4. Memory system from the board description:
//     - instruction fetch from memories with read wait states goes through a FetchModel
//       per region (memory_timing.h): flash lines, line buffers, sequential prefetch
//       hiding wait states behind execution, an optional set-associative I-cache (flash
//       accelerator or the M7's L1);
//     - data reads from such memories are observed and charged the wait states unless the
//       data cache / line buffer has the line; writes pay write wait states. Any Unicorn
//       read hook sends every load and store of the program down Unicorn's slow path, so
//       by default (DataTiming::kAuto below) the reads are observed without one: the
//       region's pages that hold no code become MMIO backed by a copy of their bytes
//       (Machine::ObserveReads), so only the reads of that memory leave the fast path.
//       Pages that hold code stay plain memory; literal-pool loads from them are charged
//       from their statically known addresses.
//     - zero-wait SRAM and TCM cost nothing extra and have no hooks.
//  5. AddCycles() adds costs the functional side knows (exception entry).
//  6. Speed (per executed block, see sim/README.md): the block hook is registered with
//     Unicorn's own callback signature, the block is found in a direct-mapped table inside
//     the model, the fetch model replays a memoized result for a repeated line-buffer
//     state, and the simulator's own per-block work (cycle budget, SysTick, pending
//     exceptions, FP-without-FPU check) runs only when CycleModel::BlockChain asks for it.
//
// WHAT IS APPROXIMATED (known limits)
//  - Pipelining and interlocks are modelled inside a block only (blocks end at branches,
//    where the pipeline refills anyway).
//  - Failed IT-block conditions are charged as if executed (IT blocks are mostly MOVs).
//  - The M3/M4 P of 1-3 is chosen by branch kind, not by fetch alignment in the pipeline.
//  - Bus contention between instruction fetch and data access (e.g. LDR [PC] on flash),
//    write-buffer stalls other than 'load after store', and unaligned access splits are
//    not modelled. Flash lines fetched by a branch's wasted prefetch are not modelled.
//  - The instruction count assumes a block runs to its end; a fault or stop in the middle
//    of a block over-counts that one block.
//  - A block is decoded from memory at its first execution: code loaded or copied before
//    it first runs is priced correctly; code rewritten in place after running keeps the
//    old price if Unicorn reports the same (address, size).
//  - With more than kEagerOperandHooks operand-dependent candidates, the first run of each
//    block holding one charges the static mid-range cost for it (point 3).
// Sources: /work/shared/docs/CORTEX_M_TIMING.md (Arm TRMs for M0+/M3/M4, TI SWCU192,
// STM32 reference manuals, STM32F407/F103/H743 measurements, LLVM's M7 model).
#ifndef EMBER_SIM_TIMING_CYCLE_MODEL_IMPL_H_
#define EMBER_SIM_TIMING_CYCLE_MODEL_IMPL_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/board.h"
#include "sim/cycle_model.h"
#include "sim/machine.h"
#include "sim/status.h"
#include "sim/timing/block_analyzer.h"
#include "sim/timing/core_costs.h"
#include "sim/timing/memory_timing.h"

namespace ember::sim::timing {

// Timing of one board memory region.
struct RegionTiming {
  std::string name;
  uint32_t base = 0;
  uint64_t end = 0;         // one past the last byte
  bool slow_fetch = false;  // instruction fetch pays wait states (FetchModel)
  FetchParams fetch;
  bool slow_read = false;  // data reads pay wait states (DataModel, memory hook)
  DataParams data;
  uint32_t write_wait_states = 0;  // > 0: memory hook on writes
  bool executable = false;
  // Cortex-M7 memory behind the L1 caches, which the program turns on and off with
  // SCB CCR.IC (bit 17) / CCR.DC (bit 16); both are 0 at reset (ARMv7-M ARM B3.2.8; Arm
  // Cortex-M7 TRM 'L1 caches': the caches are disabled at reset and software must
  // invalidate and enable them). `fetch`/`data` above hold the cache-on parameters, these
  // the cache-off ones (see make_cycle_model.cc).
  bool l1_switchable = false;
  FetchParams fetch_l1_off;
  DataParams data_l1_off;
};

// How data reads from slow memories are observed.
//  kHooks:  exact: every read observed. With an ELF loaded (code ranges known) through
//           Machine::ObserveReads like kAuto's observed regions; otherwise a Unicorn memory
//           hook on each slow region, with which Unicorn 2.0.1 takes its slow path for EVERY
//           load and store (any region), ~5-8x slower on load-heavy code.
//  kStatic: no memory hooks. PC-relative (literal-pool) loads have addresses known at
//           decode time and go through the data model exactly; other loads are assumed to
//           hit zero-wait memory or the data cache.
//  kAuto (board default), per slow region at Attach:
//           - with an ELF loaded and a data-side cache that is always on (Apollo3 flash
//             cache, RP2040 XIP cache; not the M7 L1 D-cache, which CCR.DC switches): the
//             static model. It misses the capacity/conflict misses: measured on the VWW
//             firmware, 0.2% fewer cycles than exact on sparkfun_edge and 4.0% fewer on
//             raspberry_pi_pico, at about twice the emulation speed. data_hooks = true
//             gives the exact count.
//           - otherwise, when the machine knows where code is (an ELF was loaded: Machine::
//             AddCodeRange), reads of the region's pages without code are observed through
//             Machine::ObserveReads (MMIO, no hook): exact for those pages, and loads and
//             stores elsewhere stay on Unicorn's fast path. Differences from kHooks: a read
//             Unicorn splits (unaligned, or crossing a page) is charged per aligned piece
//             (the core also splits unaligned accesses into aligned bus transfers); reads
//             of pages that hold code are charged only for literal-pool loads (static).
//           - otherwise (raw binaries, as in the timing microbenchmarks): hooks when no
//             data-side cache hides the wait states or when the loaded contents of the
//             region are larger than that cache; static when everything loaded fits in the
//             cache (then the static model misses at most the cold misses).
enum class DataTiming { kHooks, kStatic, kAuto };

struct ModelConfig {
  CoreTiming core;
  DataTiming data_timing = DataTiming::kAuto;
  std::vector<RegionTiming> regions;
  uint32_t max_operand_hooks = 4096;  // more divides than this: static cost for the rest
  // L1 cache state at Attach (CCR.IC, CCR.DC); the architectural reset value is off.
  bool l1_icache_on = false;
  bool l1_dcache_on = false;
};

// Builds the model configuration from a board (core defaults, memory regions, flash
// accelerator, L1 caches, and the [timing] keys listed in make_cycle_model.cc).
Result<ModelConfig> ModelConfigFromBoard(const BoardConfig& board);

struct TimingStats {
  uint64_t blocks_translated = 0;    // distinct (address, size) blocks decoded
  uint64_t branch_cycles = 0;        // refill / mispredict penalties
  uint64_t fetch_stall_cycles = 0;   // instruction-fetch wait states not hidden
  uint64_t data_stall_cycles = 0;    // data read/write wait states
  uint64_t operand_cycles = 0;       // divides / M3 long multiplies charged by hooks
  uint64_t operand_hooks = 0;        // code hooks installed for them
  uint64_t data_hook_regions = 0;    // slow regions observed by memory hooks
  uint64_t data_observed_bytes = 0;  // bytes of slow regions observed as MMIO (no hook)
  uint64_t data_reads = 0;           // reads seen by hooks or observed pages
};

class TimingCycleModel final : public CycleModel {
 public:
  explicit TimingCycleModel(ModelConfig config);
  // A model that could not be configured: Attach() returns `error`.
  explicit TimingCycleModel(Status error);
  ~TimingCycleModel() override;

  Status Attach(Machine& machine) override;
  uint64_t cycles() const override { return cycles_; }
  void AddCycles(uint64_t n) override { cycles_ += n; }
  uint64_t instructions() const override { return instructions_; }
  const uint64_t* cycles_counter() const override { return &cycles_; }
  void SetCoreCaches(bool icache, bool dcache) override;
  bool ChainBlockHook(const BlockChain& chain) override;

  const TimingStats& stats() const { return stats_; }
  const ModelConfig& config() const { return config_; }

 private:
  struct BlockInfo;
  struct OperandInsn {
    OpClass cls;
    uint8_t reg_a, reg_b;
    bool is_signed;
    bool hooked;  // its code hook is installed
  };
  // More operand-dependent candidates than this: hooked when first executed (see
  // InstallOperandHooks).
  static constexpr size_t kEagerOperandHooks = 64;
  struct FrontSlot {
    uint32_t address = 0;
    uint32_t size = 0;
    const BlockInfo* info = nullptr;
  };
  struct PredictorEntry {
    uint8_t counter = 1;  // 2-bit: >= 2 predicts taken
    uint32_t target = 0;
  };

  struct ReadSink {  // context of an observed region's reads
    TimingCycleModel* model;
    DataModel* data;
  };
  static void BlockThunk(uc_struct* uc, uint64_t address, uint32_t size, void* self);
  static void ObservedReadThunk(void* sink, uint32_t address, unsigned size);
  [[gnu::always_inline]] inline void OnBlock(uint32_t address, uint32_t size);
  bool Observed(uint32_t address) const;
  [[gnu::always_inline]] inline uint32_t FetchSlowPath(const BlockInfo& b, bool sequential);
  void OnOperandInsn(const OperandInsn& op);
  Status HookOperandInsn(uint32_t address, OperandInsn* op, uint32_t retranslate_begin,
                         uint64_t retranslate_end);
  const BlockInfo* Translate(uint32_t address, uint32_t size);
  uint32_t BranchPenaltyM7(const BlockInfo& prev, uint32_t target, bool sequential);
  Status InstallOperandHooks();
  const RegionTiming* RegionOf(uint32_t address) const;
  Result<bool> UseDataHooks(const RegionTiming& r);
  Status ObserveRegion(const RegionTiming& r, DataModel* data, bool* observed);

  Status config_status_;
  ModelConfig config_;
  Machine* machine_ = nullptr;
  std::unique_ptr<BlockAnalyzer> analyzer_;
  std::vector<std::unique_ptr<FetchModel>> fetch_models_;  // parallel to config_.regions
  std::vector<std::unique_ptr<DataModel>> data_models_;    // parallel to config_.regions
  std::vector<bool> data_hooked_;                          // parallel to config_.regions
  std::vector<Machine::AddressRange> observed_;            // pages read through MMIO
  std::vector<std::unique_ptr<ReadSink>> sinks_;
  std::unordered_map<uint64_t, std::unique_ptr<BlockInfo>> blocks_;
  static constexpr size_t kFrontSlots = 1u << 10;  // direct-mapped block lookup (24 KB)
  std::array<FrontSlot, kFrontSlots> front_{};
  std::unordered_map<uint32_t, OperandInsn> operand_insns_;
  std::vector<PredictorEntry> predictor_;
  std::unique_ptr<BlockInfo> start_block_;           // 'previous block' before the first one
  std::vector<std::unique_ptr<BlockInfo>> retired_;  // priced under an old line size
  bool l1_icache_on_ = false;
  bool l1_dcache_on_ = false;
  void ConfigureL1Regions();
  const BlockInfo* prev_ = nullptr;
  bool lazy_operand_hooks_ = false;
  uint32_t first_run_extra_ = 0;  // set by Translate, charged once by OnBlock
  bool m7_ = false;
  BlockChain chain_;          // fn == nullptr: nothing chained
  uint64_t always_gate_ = 0;  // chain_.gate when the caller gave none (run every block)
  uint8_t never_armed_ = 0;   // chain_.armed when the caller gave none
  uint64_t cycles_ = 0;
  uint64_t instructions_ = 0;
  TimingStats stats_;
};

}  // namespace ember::sim::timing

#endif  // EMBER_SIM_TIMING_CYCLE_MODEL_IMPL_H_
