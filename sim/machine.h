// Machine: the ONE class in ember that talks to Unicorn. It owns the uc_engine, maps the
// board's memories, loads bytes, runs, and lets observers (the cycle model, tracers) and
// devices (SCS, UART) attach. Every uc_err is checked and turned into a Status carrying
// uc_strerror() and what was being done.
//
// Observers must register their hooks BEFORE the first instruction runs: Unicorn compiles
// hook calls into translated blocks, so a hook added later would silently miss code that
// was already translated. Add*Hook / AddMmio return an error once Run() has been called.
//
// Memory: each board region becomes one Unicorn mapping with the region's permissions
// (flash/rom read+exec: a store to flash is a bus error). Loader writes (WriteMemory) ignore
// the permissions. Accesses outside every region are faults. MMIO devices are mapped with
// AddMmio and see offsets relative to their base.
//
// Observed reads (ObserveReads): Unicorn 2.0.1 sends EVERY load and store of the program
// down its slow path as soon as any UC_HOOK_MEM_READ/WRITE hook exists (measured 5-8x on
// load-heavy code), so a timing model that needs the reads of one slow memory (flash holding
// NN weights) must not use one. Instead, the pages of that memory that hold no code are
// remapped as MMIO backed by a host copy of their bytes: only reads of those pages leave the
// fast path, and each one calls the observer. Pages holding code (AddCodeRange; the ELF
// loader records its executable sections) stay ordinary memory: Unicorn cannot execute from
// MMIO (a fetch there is a fetch-protection fault).
//
// Stopping: any callback may call Stop(). Inside Unicorn's interrupt hook (BKPT, SVC, UDF)
// uc_emu_stop() does not stop Unicorn 2.0.1, so Stop() also redirects the PC to a private
// stop page (mapped at kStopAddress) where Run() ends.
#ifndef EMBER_SIM_MACHINE_H_
#define EMBER_SIM_MACHINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/board.h"
#include "sim/status.h"

struct uc_struct;  // Unicorn's engine type (uc_engine), kept out of this header.

namespace ember::sim {

enum class AccessKind { kRead, kWrite };

// A memory-mapped peripheral. Offsets are relative to the base given to AddMmio; size is the
// access width in bytes (1, 2 or 4). Tick() is called by the simulator at block boundaries
// with the modeled cycle count so far (monotonic); devices that count time (SysTick, DWT)
// use it. Read/Write may call Machine::Stop() (e.g. a bus error on a bad register).
class Device {
 public:
  virtual ~Device() = default;
  virtual const char* name() const = 0;
  virtual uint32_t Read(uint32_t offset, unsigned size) = 0;
  virtual void Write(uint32_t offset, unsigned size, uint32_t value) = 0;
  virtual void Tick(uint64_t now_cycles) { (void)now_cycles; }
};

// Core registers as Machine exposes them.
enum class Reg {
  kR0,
  kR1,
  kR2,
  kR3,
  kR4,
  kR5,
  kR6,
  kR7,
  kR8,
  kR9,
  kR10,
  kR11,
  kR12,
  kSp,
  kLr,
  kPc,
  kXpsr,  // full xPSR (APSR | IPSR | EPSR)
  kMsp,
  kPsp,
  kControl,
  kPrimask,
  kFpscr,
};

enum class StopReason {
  kNone,              // still running / never ran
  kExit,              // the program exited (semihosting SYS_EXIT); exit_code is set
  kFault,             // a fault ended the run; fault is set
  kCycleBudget,       // the modeled-cycle budget was exhausted
  kInstructionLimit,  // Run(max_instructions) reached its limit
  kHostRequest,       // a host-side observer asked to stop
};
const char* StopReasonName(StopReason reason);

enum class FaultKind {
  kUnmappedRead,
  kUnmappedWrite,
  kUnmappedFetch,
  kWriteProtected,  // store to flash/rom: bus error
  kReadProtected,
  kFetchProtected,  // executing from a non-executable region
  kUndefinedInstruction,
  kDivideByZero,        // SDIV/UDIV with a zero divisor while CCR.DIV_0_TRP is set
  kNoCoprocessor,       // FP instruction while CPACR CP10/CP11 are disabled (UsageFault NOCP)
  kUnalignedAccess,     // with CCR.UNALIGN_TRP
  kBusError,            // a device rejected an access
  kUnhandledException,  // SVC or another exception with no way to deliver it
  kInternal,            // Unicorn reported an error we could not classify
};
const char* FaultKindName(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::kInternal;
  uint32_t pc = 0;
  bool has_address = false;
  uint32_t address = 0;  // the faulting data/fetch address when has_address
  std::string detail;    // free text, e.g. "write of 4 bytes", "uc_emu_start: ..."
};

struct StopInfo {
  StopReason reason = StopReason::kNone;
  int exit_code = 0;    // for kExit
  Fault fault;          // for kFault
  std::string message;  // for kCycleBudget / kHostRequest etc.
};

class Machine {
 public:
  // Unicorn hooks are called with the guest address and instruction/block size in bytes.
  using BlockCallback = std::function<void(uint32_t address, uint32_t size)>;
  using CodeCallback = std::function<void(uint32_t address, uint32_t size)>;
  // For reads `value` is 0 (Unicorn reports the value only for writes).
  using MemCallback =
      std::function<void(AccessKind kind, uint32_t address, unsigned size, uint32_t value)>;
  // Exceptions Unicorn raises (BKPT, SVC, UDF, exception return, ...). `intno` is QEMU's
  // EXCP_* number (see kExcp* below); `pc` is the address of the raising instruction
  // where Unicorn provides it.
  using InterruptCallback = std::function<void(uint32_t intno)>;
  // Plain-function forms for hot paths (no std::function indirection). `ctx` is passed back.
  using BlockFn = void (*)(void* ctx, uint32_t address, uint32_t size);
  // Unicorn's own block-callback signature (uc_cb_hookcode_t), called with no trampoline in
  // between: for the cycle model, whose hook runs on every block.
  using UnicornBlockFn = void (*)(uc_struct* uc, uint64_t address, uint32_t size, void* ctx);
  // A data read of `size` bytes at `address` (an unaligned read may arrive as two aligned
  // pieces, as Unicorn splits it).
  using ReadObserverFn = void (*)(void* ctx, uint32_t address, unsigned size);

  struct AddressRange {
    uint32_t begin = 0;
    uint64_t end = 0;  // one past the last byte
  };

  // QEMU ARM exception numbers that reach the interrupt hook.
  static constexpr uint32_t kExcpUdef = 1;
  static constexpr uint32_t kExcpSwi = 2;
  static constexpr uint32_t kExcpPrefetchAbort = 3;
  static constexpr uint32_t kExcpDataAbort = 4;
  static constexpr uint32_t kExcpBkpt = 7;
  static constexpr uint32_t kExcpExceptionExit = 8;
  static constexpr uint32_t kExcpNocp = 17;
  static constexpr uint32_t kExcpInvstate = 18;

  // Private page where Stop() parks the PC; outside every board's memory map.
  static constexpr uint32_t kStopAddress = 0x9fff0000;

  struct HookState;  // internal (defined in machine.cc)
  struct Shadow;     // internal: an observed range (defined in machine.cc)

  static Result<std::unique_ptr<Machine>> Create(const BoardConfig& board);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const BoardConfig& board() const { return board_; }

  // --- memory ---
  // Raw writes/reads (ignore permissions; for loaders, devices, exception stacking).
  Status WriteMemory(uint32_t address, const void* data, size_t size);
  Status ReadMemory(uint32_t address, void* data, size_t size) const;
  Result<uint32_t> ReadU32(uint32_t address) const;
  Status WriteU32(uint32_t address, uint32_t value);

  // --- registers ---
  Result<uint32_t> ReadReg(Reg reg) const;
  Status WriteReg(Reg reg, uint32_t value);
  // Reads `count` registers in one Unicorn call (uc_reg_read_batch): cheaper than ReadReg
  // per register when called from a hook.
  Status ReadRegs(const Reg* regs, uint32_t* values, size_t count) const;
  // Single-precision FP register s0..s31 (raw bits).
  Result<uint32_t> ReadFpReg(int index) const;
  Status WriteFpReg(int index, uint32_t value);

  // --- observers (all must be added before the first Run) ---
  Status AddBlockHook(BlockCallback callback);
  Status AddBlockHook(BlockFn fn, void* ctx);
  Status AddBlockHook(UnicornBlockFn fn, void* ctx);
  // Fires before every instruction in [begin, end] (inclusive). Costly: keep ranges small,
  // and few: each call walks ALL code hooks (Unicorn 2.0.1 helper_uc_tracecode), so a call
  // costs ~3 ns per installed code hook.
  Status AddCodeHook(uint32_t begin, uint32_t end, CodeCallback callback);
  // AddCodeHook that may also be called while running (from a hook). Code already
  // translated does not call hooks added later, so the translated code covering
  // [retranslate_begin, retranslate_end) is dropped and translated again at its next
  // execution; an execution already under way (the block whose hook is running) finishes
  // without calling the new hook. Measured with Unicorn 2.0.1: reliable when called during
  // the first execution of the translated block (the timing model's case); a block that
  // has already branched to itself may keep running its old translation.
  Status AddCodeHookLate(uint32_t begin, uint32_t end, CodeCallback callback,
                         uint32_t retranslate_begin, uint64_t retranslate_end);
  // Fires on every data access of `kind` in [begin, end] (inclusive). Costly.
  Status AddMemHook(AccessKind kind, uint32_t begin, uint32_t end, MemCallback callback);
  // Maps a device at [base, base + size). size must be a multiple of the page size (1 KB);
  // the region must not overlap board memories or other devices.
  Status AddMmio(uint32_t base, uint32_t size, std::shared_ptr<Device> device);
  // Marks [begin, end) as code that may execute (the ELF loader calls this for every
  // executable section). ObserveReads never remaps such pages.
  void AddCodeRange(uint32_t begin, uint64_t end);
  bool has_code_ranges() const { return !code_ranges_.empty(); }
  // Observes data reads of [begin, end) (inside one board memory) without a memory hook, as
  // described at the top of this file. Returns the ranges actually observed: the pages of
  // [begin, end) that hold no code (possibly none). Error if no code range was recorded (then
  // nothing is known about where code is) or Unicorn refuses the remapping. Loads and stores
  // of observed pages behave as before: reads return the bytes, writes to a memory that is
  // not writable are bus errors (kWriteProtected), ReadMemory/WriteMemory see the same bytes.
  Result<std::vector<AddressRange>> ObserveReads(uint32_t begin, uint64_t end, ReadObserverFn fn,
                                                 void* ctx);
  // One handler for all exceptions Unicorn raises (there is at most one; a second call
  // replaces the first before Run).
  Status SetInterruptHandler(InterruptCallback callback);

  // --- running ---
  // Runs from `pc` (Thumb bit is added) until Stop(), a fault, or `max_instructions`
  // (0 = unlimited). Returns how it ended. May be called again to continue after a
  // kHostRequest/kInstructionLimit stop.
  Result<StopInfo> Run(uint32_t pc, uint64_t max_instructions = 0);
  // Ends the current Run() at the next opportunity. Safe from any callback. The first
  // reason recorded wins.
  void Stop(StopInfo info);
  void StopWithFault(Fault fault);
  bool stop_requested() const { return stop_.reason != StopReason::kNone; }
  bool started() const { return started_; }

  // The devices mapped with AddMmio, for Tick() fan-out.
  const std::vector<std::shared_ptr<Device>>& devices() const { return devices_; }

 private:
  explicit Machine(const BoardConfig& board);
  Status Init();
  Status Check(int err, const std::string& what) const;
  Status CheckNotStarted(const char* what) const;
  static bool OnInvalidMemory(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                              void* user);
  static void OnInterrupt(uc_struct* uc, uint32_t intno, void* user);

  BoardConfig board_;
  uc_struct* uc_ = nullptr;
  bool started_ = false;
  bool in_interrupt_hook_ = false;
  StopInfo stop_;
  std::vector<std::shared_ptr<Device>> devices_;
  std::vector<std::unique_ptr<HookState>> hooks_;
  InterruptCallback interrupt_handler_;
  struct MmioRange {
    uint32_t base, size;
  };
  std::vector<MmioRange> mmio_;
  std::vector<AddressRange> code_ranges_;
  std::vector<std::unique_ptr<Shadow>> shadows_;  // sorted by address
  const Shadow* FindShadow(uint32_t address) const;
  // Splits [address, address + size) into pieces inside one shadow or outside every shadow
  // and calls on_shadow(shadow, at, piece_end) / on_memory(at, piece_end) for each, in order
  // (defined and used in machine.cc only).
  template <typename OnShadow, typename OnMemory>
  Status ForEachPiece(uint32_t address, size_t size, OnShadow on_shadow, OnMemory on_memory) const;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_MACHINE_H_
