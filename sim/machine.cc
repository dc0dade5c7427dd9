// Machine: all Unicorn calls of ember live in this file (see sim/machine.h).
#include "sim/machine.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <cstring>

#include "sim/access_locator.h"

namespace ember::sim {

struct Machine::HookState {
  Machine* machine = nullptr;
  BlockFn block_fn = nullptr;
  void* block_ctx = nullptr;
  BlockCallback block;
  CodeCallback code;
  MemCallback mem;
  std::shared_ptr<Device> device;
  uint32_t device_base = 0;
  uc_hook handle = 0;
};

// An observed range: MMIO backed by `bytes` (see ObserveReads).
struct Machine::Shadow {
  Machine* machine = nullptr;
  uint32_t base = 0;
  std::vector<uint8_t> bytes;
  bool writable = false;
  ReadObserverFn observer = nullptr;
  void* ctx = nullptr;
};

namespace {

int UcRegFor(Reg reg) {
  switch (reg) {
    case Reg::kR0:
      return UC_ARM_REG_R0;
    case Reg::kR1:
      return UC_ARM_REG_R1;
    case Reg::kR2:
      return UC_ARM_REG_R2;
    case Reg::kR3:
      return UC_ARM_REG_R3;
    case Reg::kR4:
      return UC_ARM_REG_R4;
    case Reg::kR5:
      return UC_ARM_REG_R5;
    case Reg::kR6:
      return UC_ARM_REG_R6;
    case Reg::kR7:
      return UC_ARM_REG_R7;
    case Reg::kR8:
      return UC_ARM_REG_R8;
    case Reg::kR9:
      return UC_ARM_REG_R9;
    case Reg::kR10:
      return UC_ARM_REG_R10;
    case Reg::kR11:
      return UC_ARM_REG_R11;
    case Reg::kR12:
      return UC_ARM_REG_R12;
    case Reg::kSp:
      return UC_ARM_REG_SP;
    case Reg::kLr:
      return UC_ARM_REG_LR;
    case Reg::kPc:
      return UC_ARM_REG_PC;
    case Reg::kXpsr:
      return UC_ARM_REG_XPSR;
    case Reg::kMsp:
      return UC_ARM_REG_MSP;
    case Reg::kPsp:
      return UC_ARM_REG_PSP;
    case Reg::kControl:
      return UC_ARM_REG_CONTROL;
    case Reg::kPrimask:
      return UC_ARM_REG_PRIMASK;
    case Reg::kFpscr:
      return UC_ARM_REG_FPSCR;
  }
  return UC_ARM_REG_INVALID;
}

int UcCpuModel(CoreKind core) {
  switch (core) {
    case CoreKind::kCortexM0Plus:
      return UC_CPU_ARM_CORTEX_M0;  // Unicorn has no M0+ model
    case CoreKind::kCortexM3:
      return UC_CPU_ARM_CORTEX_M3;
    case CoreKind::kCortexM4:
      return UC_CPU_ARM_CORTEX_M4;
    case CoreKind::kCortexM7:
      return UC_CPU_ARM_CORTEX_M7;
  }
  return UC_CPU_ARM_CORTEX_M4;
}

void BlockTrampoline(uc_engine*, uint64_t address, uint32_t size, void* user) {
  static_cast<Machine::HookState*>(user)->block(static_cast<uint32_t>(address), size);
}

void BlockFnTrampoline(uc_engine*, uint64_t address, uint32_t size, void* user) {
  auto* h = static_cast<Machine::HookState*>(user);
  h->block_fn(h->block_ctx, static_cast<uint32_t>(address), size);
}

void CodeTrampoline(uc_engine*, uint64_t address, uint32_t size, void* user) {
  static_cast<Machine::HookState*>(user)->code(static_cast<uint32_t>(address), size);
}

void MemTrampoline(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t value,
                   void* user) {
  AccessKind kind = type == UC_MEM_WRITE ? AccessKind::kWrite : AccessKind::kRead;
  static_cast<Machine::HookState*>(user)->mem(kind, static_cast<uint32_t>(address),
                                              static_cast<unsigned>(size),
                                              static_cast<uint32_t>(value));
}

uint64_t MmioRead(uc_engine*, uint64_t offset, unsigned size, void* user) {
  auto* h = static_cast<Machine::HookState*>(user);
  return h->device->Read(static_cast<uint32_t>(offset), size);
}

void MmioWrite(uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
  auto* h = static_cast<Machine::HookState*>(user);
  h->device->Write(static_cast<uint32_t>(offset), size, static_cast<uint32_t>(value));
}

uint64_t ShadowRead(uc_engine*, uint64_t offset, unsigned size, void* user) {
  auto* sh = static_cast<Machine::Shadow*>(user);
  const uint32_t address = sh->base + static_cast<uint32_t>(offset);
  sh->observer(sh->ctx, address, size);
  uint64_t value = 0;
  const size_t avail = sh->bytes.size() - static_cast<size_t>(offset);
  std::memcpy(&value, sh->bytes.data() + offset, std::min<size_t>(size, avail));  // little endian
  return value;
}

void ShadowWrite(uc_engine*, uint64_t offset, unsigned size, uint64_t value, void* user) {
  auto* sh = static_cast<Machine::Shadow*>(user);
  const uint32_t address = sh->base + static_cast<uint32_t>(offset);
  if (!sh->writable) {
    // As for the memory when it was ordinary read-only memory: a bus error. The PC Unicorn
    // shows here is the block start; Run() locates the store (kWriteProtected).
    Fault f;
    f.kind = FaultKind::kWriteProtected;
    f.has_address = true;
    f.address = address;
    f.detail = fmt::format("{}-byte write of 0x{:x}", size, value);
    uint32_t pc = 0;
    auto r = sh->machine->ReadReg(Reg::kPc);
    if (r.ok()) pc = *r;
    f.pc = pc;
    sh->machine->StopWithFault(std::move(f));
    return;
  }
  const size_t avail = sh->bytes.size() - static_cast<size_t>(offset);
  std::memcpy(sh->bytes.data() + offset, &value, std::min<size_t>(size, avail));
}

}  // namespace

const char* StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kNone:
      return "none";
    case StopReason::kExit:
      return "exit";
    case StopReason::kFault:
      return "fault";
    case StopReason::kCycleBudget:
      return "cycle budget exhausted";
    case StopReason::kInstructionLimit:
      return "instruction limit";
    case StopReason::kHostRequest:
      return "stopped by host";
  }
  return "?";
}

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kUnmappedRead:
      return "read from unmapped address";
    case FaultKind::kUnmappedWrite:
      return "write to unmapped address";
    case FaultKind::kUnmappedFetch:
      return "instruction fetch from unmapped address";
    case FaultKind::kWriteProtected:
      return "bus error: write to read-only memory";
    case FaultKind::kReadProtected:
      return "bus error: read from non-readable memory";
    case FaultKind::kFetchProtected:
      return "instruction fetch from non-executable memory";
    case FaultKind::kUndefinedInstruction:
      return "undefined instruction (UsageFault UNDEFINSTR)";
    case FaultKind::kDivideByZero:
      return "divide by zero (UsageFault DIVBYZERO)";
    case FaultKind::kNoCoprocessor:
      return "FPU disabled in CPACR (UsageFault NOCP)";
    case FaultKind::kUnalignedAccess:
      return "unaligned access (UsageFault UNALIGNED)";
    case FaultKind::kBusError:
      return "bus error";
    case FaultKind::kUnhandledException:
      return "unhandled exception";
    case FaultKind::kInternal:
      return "emulator error";
  }
  return "?";
}

Machine::Machine(const BoardConfig& board) : board_(board) {}

Machine::~Machine() {
  if (uc_) uc_close(uc_);
}

Status Machine::Check(int err, const std::string& what) const {
  if (err == UC_ERR_OK) return Status::Ok();
  return Status::Error(fmt::format("unicorn: {}: {}", what, uc_strerror(static_cast<uc_err>(err))));
}

Status Machine::CheckNotStarted(const char* what) const {
  if (!started_) return Status::Ok();
  return Status::Error(fmt::format(
      "{}: hooks and devices must be added before the first instruction runs (Unicorn does "
      "not call hooks added after code was translated)",
      what));
}

Result<std::unique_ptr<Machine>> Machine::Create(const BoardConfig& board) {
  std::unique_ptr<Machine> m(new Machine(board));
  Status st = m->Init();
  if (!st.ok()) return st;
  return m;
}

Status Machine::Init() {
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_open(UC_ARCH_ARM, static_cast<uc_mode>(UC_MODE_THUMB | UC_MODE_MCLASS), &uc_),
            "uc_open(ARM, THUMB|MCLASS)"));
  EMBER_SIM_RETURN_IF_ERROR(Check(uc_ctl_set_cpu_model(uc_, UcCpuModel(board_.core)),
                                  fmt::format("set CPU model for {}", CoreKindName(board_.core))));
  for (const MemoryRegion& r : board_.memories) {
    uint32_t perms = (r.readable ? UC_PROT_READ : 0) | (r.writable ? UC_PROT_WRITE : 0) |
                     (r.executable ? UC_PROT_EXEC : 0);
    EMBER_SIM_RETURN_IF_ERROR(
        Check(uc_mem_map(uc_, r.base, r.size, perms),
              fmt::format("map memory {} at 0x{:08x} size 0x{:x}", r.name, r.base, r.size)));
  }
  if (board_.FindMemory(kStopAddress) || board_.FindMemory(kStopAddress + 0xfff)) {
    return Status::Error(
        fmt::format("board {}: a memory overlaps the emulator's private stop "
                    "page at 0x{:08x}",
                    board_.id, kStopAddress));
  }
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_mem_map(uc_, kStopAddress, 0x1000, UC_PROT_READ | UC_PROT_EXEC), "map stop page"));
  // Thumb "b ." so that even a stray jump here cannot run away.
  const uint8_t loop[2] = {0xfe, 0xe7};
  EMBER_SIM_RETURN_IF_ERROR(Check(uc_mem_write(uc_, kStopAddress, loop, 2), "write stop page"));

  uc_hook h;
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&OnInvalidMemory),
                        this, 1, 0),
            "add invalid-memory hook"));
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&OnInterrupt), this, 1, 0),
            "add interrupt hook"));
  return Status::Ok();
}

bool Machine::OnInvalidMemory(uc_struct* uc, int type, uint64_t address, int size, int64_t value,
                              void* user) {
  auto* m = static_cast<Machine*>(user);
  Fault f;
  switch (type) {
    case UC_MEM_READ_UNMAPPED:
      f.kind = FaultKind::kUnmappedRead;
      break;
    case UC_MEM_WRITE_UNMAPPED:
      f.kind = FaultKind::kUnmappedWrite;
      break;
    case UC_MEM_FETCH_UNMAPPED:
      f.kind = FaultKind::kUnmappedFetch;
      break;
    case UC_MEM_WRITE_PROT:
      f.kind = FaultKind::kWriteProtected;
      break;
    case UC_MEM_READ_PROT:
      f.kind = FaultKind::kReadProtected;
      break;
    case UC_MEM_FETCH_PROT:
      f.kind = FaultKind::kFetchProtected;
      break;
    default:
      f.kind = FaultKind::kInternal;
      break;
  }
  uint32_t pc = 0;
  uc_reg_read(uc, UC_ARM_REG_PC, &pc);
  bool fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
  f.pc = fetch ? static_cast<uint32_t>(address) : pc;
  f.has_address = true;
  f.address = static_cast<uint32_t>(address);
  if (type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT) {
    f.detail = fmt::format("{}-byte write of 0x{:x}", size, static_cast<uint64_t>(value));
  } else if (!fetch) {
    f.detail = fmt::format("{}-byte read", size);
  }
  m->StopWithFault(std::move(f));
  return false;  // not handled: Unicorn stops with an error
}

void Machine::OnInterrupt(uc_struct* uc, uint32_t intno, void* user) {
  auto* m = static_cast<Machine*>(user);
  m->in_interrupt_hook_ = true;
  if (m->interrupt_handler_) {
    m->interrupt_handler_(intno);
  } else {
    uint32_t pc = 0;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    Fault f;
    f.kind = FaultKind::kUnhandledException;
    f.pc = pc;
    f.detail = fmt::format("exception {} raised by the core and no handler installed", intno);
    m->StopWithFault(std::move(f));
  }
  m->in_interrupt_hook_ = false;
  if (m->stop_requested()) {
    // uc_emu_stop() is not honoured from here: park the PC where Run() ends.
    uint32_t stop_pc = kStopAddress | 1;
    uc_reg_write(uc, UC_ARM_REG_PC, &stop_pc);
  }
}

const Machine::Shadow* Machine::FindShadow(uint32_t address) const {
  for (const auto& sh : shadows_) {
    if (address >= sh->base && address - sh->base < sh->bytes.size()) return sh.get();
  }
  return nullptr;
}

template <typename OnShadow, typename OnMemory>
Status Machine::ForEachPiece(uint32_t address, size_t size, OnShadow on_shadow,
                             OnMemory on_memory) const {
  uint64_t at = address;
  const uint64_t end = uint64_t{address} + size;
  while (at < end) {
    uint64_t piece_end = end;
    if (const Shadow* sh = FindShadow(static_cast<uint32_t>(at))) {
      piece_end = std::min<uint64_t>(end, sh->base + uint64_t{sh->bytes.size()});
      on_shadow(*sh, at, piece_end);
    } else {
      for (const auto& sh : shadows_) {
        if (sh->base > at && sh->base < piece_end) piece_end = sh->base;
      }
      EMBER_SIM_RETURN_IF_ERROR(on_memory(at, piece_end));
    }
    at = piece_end;
  }
  return Status::Ok();
}

// Observed ranges are served from their host copy (no observer call: these are the host's
// accesses, not the program's); the rest goes to Unicorn.
Status Machine::WriteMemory(uint32_t address, const void* data, size_t size) {
  if (shadows_.empty()) {
    return Check(uc_mem_write(uc_, address, data, size),
                 fmt::format("write {} bytes at 0x{:08x}", size, address));
  }
  const auto* bytes = static_cast<const uint8_t*>(data);
  return ForEachPiece(
      address, size,
      [&](const Shadow& sh, uint64_t at, uint64_t piece_end) {
        std::memcpy(const_cast<Shadow&>(sh).bytes.data() + (at - sh.base), bytes + (at - address),
                    static_cast<size_t>(piece_end - at));
      },
      [&](uint64_t at, uint64_t piece_end) {
        return Check(
            uc_mem_write(uc_, at, bytes + (at - address), static_cast<size_t>(piece_end - at)),
            fmt::format("write {} bytes at 0x{:08x}", size, address));
      });
}

Status Machine::ReadMemory(uint32_t address, void* data, size_t size) const {
  if (shadows_.empty()) {
    return Check(uc_mem_read(uc_, address, data, size),
                 fmt::format("read {} bytes at 0x{:08x}", size, address));
  }
  auto* bytes = static_cast<uint8_t*>(data);
  return ForEachPiece(
      address, size,
      [&](const Shadow& sh, uint64_t at, uint64_t piece_end) {
        std::memcpy(bytes + (at - address), sh.bytes.data() + (at - sh.base),
                    static_cast<size_t>(piece_end - at));
      },
      [&](uint64_t at, uint64_t piece_end) {
        return Check(
            uc_mem_read(uc_, at, bytes + (at - address), static_cast<size_t>(piece_end - at)),
            fmt::format("read {} bytes at 0x{:08x}", size, address));
      });
}

void Machine::AddCodeRange(uint32_t begin, uint64_t end) {
  if (end > begin) code_ranges_.push_back(AddressRange{begin, end});
}

Result<std::vector<Machine::AddressRange>> Machine::ObserveReads(uint32_t begin, uint64_t end,
                                                                 ReadObserverFn fn, void* ctx) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("ObserveReads"));
  if (fn == nullptr || end <= begin)
    return Status::Error("ObserveReads: empty range or no observer");
  if (code_ranges_.empty()) {
    return Status::Error("ObserveReads: no code ranges recorded (where code runs is unknown)");
  }
  const MemoryRegion* region = board_.FindMemory(begin);
  if (region == nullptr || end > region->end()) {
    return Status::Error(
        fmt::format("ObserveReads: 0x{:08x}-0x{:x} is not inside one memory", begin, end));
  }
  uint32_t page = 1024;
  size_t page_size = 0;
  if (uc_query(uc_, UC_QUERY_PAGE_SIZE, &page_size) == UC_ERR_OK && page_size != 0) {
    page = static_cast<uint32_t>(page_size);
  }
  auto holds_code = [this](uint64_t b, uint64_t e) {
    for (const AddressRange& c : code_ranges_) {
      if (c.begin < e && b < c.end) return true;
    }
    return false;
  };
  for (const auto& sh : shadows_) {
    if (sh->base < end && begin < sh->base + uint64_t{sh->bytes.size()}) {
      return Status::Error("ObserveReads: range already observed");
    }
  }
  std::vector<AddressRange> runs;
  const uint64_t first = (uint64_t{begin} + page - 1) / page * page;
  for (uint64_t p = first; p + page <= end; p += page) {
    if (holds_code(p, p + page)) continue;
    if (!runs.empty() && runs.back().end == p) {
      runs.back().end = p + page;
    } else {
      runs.push_back(AddressRange{static_cast<uint32_t>(p), p + page});
    }
  }
  for (const AddressRange& r : runs) {
    auto sh = std::make_unique<Shadow>();
    sh->machine = this;
    sh->base = r.begin;
    sh->bytes.resize(static_cast<size_t>(r.end - r.begin));
    sh->writable = region->writable;
    sh->observer = fn;
    sh->ctx = ctx;
    const std::string what = fmt::format("observe reads of 0x{:08x}-0x{:08x}", r.begin, r.end - 1);
    EMBER_SIM_RETURN_IF_ERROR(
        Check(uc_mem_read(uc_, r.begin, sh->bytes.data(), sh->bytes.size()), what + ": read"));
    EMBER_SIM_RETURN_IF_ERROR(
        Check(uc_mem_unmap(uc_, r.begin, sh->bytes.size()), what + ": unmap"));
    EMBER_SIM_RETURN_IF_ERROR(Check(
        uc_mmio_map(uc_, r.begin, sh->bytes.size(), &ShadowRead, sh.get(), &ShadowWrite, sh.get()),
        what + ": map"));
    shadows_.push_back(std::move(sh));
  }
  std::sort(shadows_.begin(), shadows_.end(),
            [](const auto& a, const auto& b) { return a->base < b->base; });
  return runs;
}

Result<uint32_t> Machine::ReadU32(uint32_t address) const {
  uint8_t b[4];
  EMBER_SIM_RETURN_IF_ERROR(ReadMemory(address, b, 4));
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

Status Machine::WriteU32(uint32_t address, uint32_t value) {
  uint8_t b[4] = {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
                  static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)};
  return WriteMemory(address, b, 4);
}

Result<uint32_t> Machine::ReadReg(Reg reg) const {
  uint32_t v = 0;
  EMBER_SIM_RETURN_IF_ERROR(Check(uc_reg_read(uc_, UcRegFor(reg), &v), "read register"));
  return v;
}

Status Machine::ReadRegs(const Reg* regs, uint32_t* values, size_t count) const {
  int ids[32];
  void* ptrs[32];
  for (size_t done = 0; done < count;) {
    size_t n = std::min<size_t>(32, count - done);
    for (size_t i = 0; i < n; ++i) {
      ids[i] = UcRegFor(regs[done + i]);
      ptrs[i] = &values[done + i];
    }
    EMBER_SIM_RETURN_IF_ERROR(
        Check(uc_reg_read_batch(uc_, ids, ptrs, static_cast<int>(n)), "read registers"));
    done += n;
  }
  return Status::Ok();
}

Status Machine::WriteReg(Reg reg, uint32_t value) {
  return Check(uc_reg_write(uc_, UcRegFor(reg), &value), "write register");
}

Result<uint32_t> Machine::ReadFpReg(int index) const {
  if (index < 0 || index > 31) return Status::Error(fmt::format("no FP register s{}", index));
  uint32_t v = 0;
  EMBER_SIM_RETURN_IF_ERROR(Check(uc_reg_read(uc_, UC_ARM_REG_S0 + index, &v), "read FP register"));
  return v;
}

Status Machine::WriteFpReg(int index, uint32_t value) {
  if (index < 0 || index > 31) return Status::Error(fmt::format("no FP register s{}", index));
  return Check(uc_reg_write(uc_, UC_ARM_REG_S0 + index, &value), "write FP register");
}

Status Machine::AddBlockHook(BlockCallback callback) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddBlockHook"));
  auto h = std::make_unique<HookState>();
  h->machine = this;
  h->block = std::move(callback);
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h->handle, UC_HOOK_BLOCK, reinterpret_cast<void*>(&BlockTrampoline),
                        h.get(), 1, 0),
            "add block hook"));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::AddBlockHook(UnicornBlockFn fn, void* ctx) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddBlockHook"));
  if (fn == nullptr) return Status::Error("AddBlockHook: null function");
  auto h = std::make_unique<HookState>();
  h->machine = this;
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h->handle, UC_HOOK_BLOCK, reinterpret_cast<void*>(fn), ctx, 1, 0),
            "add block hook"));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::AddBlockHook(BlockFn fn, void* ctx) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddBlockHook"));
  if (fn == nullptr) return Status::Error("AddBlockHook: null function");
  auto h = std::make_unique<HookState>();
  h->machine = this;
  h->block_fn = fn;
  h->block_ctx = ctx;
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h->handle, UC_HOOK_BLOCK, reinterpret_cast<void*>(&BlockFnTrampoline),
                        h.get(), 1, 0),
            "add block hook"));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::AddCodeHook(uint32_t begin, uint32_t end, CodeCallback callback) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddCodeHook"));
  return AddCodeHookLate(begin, end, std::move(callback), begin, uint64_t{end} + 1);
}

Status Machine::AddCodeHookLate(uint32_t begin, uint32_t end, CodeCallback callback,
                                uint32_t retranslate_begin, uint64_t retranslate_end) {
  if (begin > end) return Status::Error("AddCodeHook: begin > end");
  if (started_ && retranslate_end > retranslate_begin) {
    // Translated code holds its hook calls: drop what covers the range so that its next
    // execution is translated with the new hook.
    EMBER_SIM_RETURN_IF_ERROR(Check(
        uc_ctl_remove_cache(uc_, uint64_t{retranslate_begin}, retranslate_end),
        fmt::format("drop translated code 0x{:08x}-0x{:x}", retranslate_begin, retranslate_end)));
  }
  auto h = std::make_unique<HookState>();
  h->machine = this;
  h->code = std::move(callback);
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h->handle, UC_HOOK_CODE, reinterpret_cast<void*>(&CodeTrampoline),
                        h.get(), uint64_t{begin}, uint64_t{end}),
            fmt::format("add code hook 0x{:08x}-0x{:08x}", begin, end)));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::AddMemHook(AccessKind kind, uint32_t begin, uint32_t end, MemCallback callback) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddMemHook"));
  if (begin > end) return Status::Error("AddMemHook: begin > end");
  auto h = std::make_unique<HookState>();
  h->machine = this;
  h->mem = std::move(callback);
  int type = kind == AccessKind::kRead ? UC_HOOK_MEM_READ : UC_HOOK_MEM_WRITE;
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_hook_add(uc_, &h->handle, type, reinterpret_cast<void*>(&MemTrampoline), h.get(),
                        uint64_t{begin}, uint64_t{end}),
            fmt::format("add memory hook 0x{:08x}-0x{:08x}", begin, end)));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::AddMmio(uint32_t base, uint32_t size, std::shared_ptr<Device> device) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("AddMmio"));
  if (!device) return Status::Error("AddMmio: null device");
  uint64_t end = uint64_t{base} + size;
  if (size == 0 || base % 1024 != 0 || size % 1024 != 0 || end > (uint64_t{1} << 32)) {
    return Status::Error(
        fmt::format("device {} at 0x{:08x} size 0x{:x}: base and size must be "
                    "1 KB aligned and inside 4 GB",
                    device->name(), base, size));
  }
  for (const MemoryRegion& r : board_.memories) {
    if (base < r.end() && r.base < end) {
      return Status::Error(
          fmt::format("device {} at 0x{:08x} overlaps memory {}", device->name(), base, r.name));
    }
  }
  for (const MmioRange& r : mmio_) {
    if (base < uint64_t{r.base} + r.size && r.base < end) {
      return Status::Error(
          fmt::format("device {} at 0x{:08x} overlaps another device", device->name(), base));
    }
  }
  auto h = std::make_unique<HookState>();
  h->machine = this;
  h->device = device;
  h->device_base = base;
  EMBER_SIM_RETURN_IF_ERROR(
      Check(uc_mmio_map(uc_, base, size, &MmioRead, h.get(), &MmioWrite, h.get()),
            fmt::format("map device {} at 0x{:08x}", device->name(), base)));
  mmio_.push_back({base, size});
  devices_.push_back(std::move(device));
  hooks_.push_back(std::move(h));
  return Status::Ok();
}

Status Machine::SetInterruptHandler(InterruptCallback callback) {
  EMBER_SIM_RETURN_IF_ERROR(CheckNotStarted("SetInterruptHandler"));
  interrupt_handler_ = std::move(callback);
  return Status::Ok();
}

void Machine::Stop(StopInfo info) {
  if (stop_.reason == StopReason::kNone) stop_ = std::move(info);
  if (!in_interrupt_hook_) uc_emu_stop(uc_);
}

void Machine::StopWithFault(Fault fault) {
  StopInfo info;
  info.reason = StopReason::kFault;
  info.fault = std::move(fault);
  Stop(std::move(info));
}

Result<StopInfo> Machine::Run(uint32_t pc, uint64_t max_instructions) {
  started_ = true;
  stop_ = StopInfo();
  uc_err err = uc_emu_start(uc_, pc | 1, kStopAddress, 0, max_instructions);
  // WFI makes Unicorn return as if halted, WFE/YIELD as if the instruction were invalid, with
  // the PC after them. All three may architecturally complete at once (ARMv7-M: WFI may be a
  // NOP; WFE may wake spuriously), so resume after them: time keeps advancing through the
  // code that loops around them until an interrupt arrives.
  uint32_t resumed_at = 0xffffffffu;
  while ((err == UC_ERR_OK || err == UC_ERR_INSN_INVALID) && stop_.reason == StopReason::kNone &&
         max_instructions == 0) {
    uint32_t at = 0;
    uint16_t previous = 0;
    uc_reg_read(uc_, UC_ARM_REG_PC, &at);
    at &= ~1u;
    if (at == kStopAddress || (err != UC_ERR_OK && at == resumed_at) ||
        uc_mem_read(uc_, at - 2, &previous, 2) != UC_ERR_OK ||
        (previous != 0xBF30 && previous != 0xBF20 && previous != 0xBF10)) {  // WFI, WFE, YIELD
      break;
    }
    resumed_at = at;
    err = uc_emu_start(uc_, at | 1, kStopAddress, 0, 0);
  }
  if (stop_.reason == StopReason::kFault && (stop_.fault.kind == FaultKind::kWriteProtected ||
                                             stop_.fault.kind == FaultKind::kReadProtected)) {
    // Unicorn reports the block start as the PC of protection faults: find the access.
    auto at = LocateAccess(*this, stop_.fault.pc, stop_.fault.address,
                           stop_.fault.kind == FaultKind::kWriteProtected);
    if (at) {
      stop_.fault.pc = *at;
    } else {
      stop_.fault.detail += " (pc is the start of the block containing the access)";
    }
  }
  if (stop_.reason != StopReason::kNone) return stop_;
  uint32_t now = 0;
  uc_reg_read(uc_, UC_ARM_REG_PC, &now);
  if (err != UC_ERR_OK) {
    Fault f;
    f.pc = now;
    if (err == UC_ERR_INSN_INVALID) {
      f.kind = FaultKind::kUndefinedInstruction;
      uint8_t insn[4] = {0, 0, 0, 0};
      if (uc_mem_read(uc_, now & ~1u, insn, 4) == UC_ERR_OK) {
        f.detail = fmt::format("opcode bytes {:02x} {:02x} {:02x} {:02x}", insn[0], insn[1],
                               insn[2], insn[3]);
      }
    } else {
      f.kind = FaultKind::kInternal;
      f.detail = fmt::format("uc_emu_start: {}", uc_strerror(err));
    }
    StopInfo info;
    info.reason = StopReason::kFault;
    info.fault = std::move(f);
    return info;
  }
  StopInfo info;
  if (max_instructions != 0 && (now & ~1u) != kStopAddress) {
    info.reason = StopReason::kInstructionLimit;
    info.message =
        fmt::format("stopped after {} instructions at pc 0x{:08x}", max_instructions, now);
  } else {
    info.reason = StopReason::kHostRequest;
    info.message = fmt::format("emulation ended at pc 0x{:08x} without a stop request", now);
  }
  return info;
}

}  // namespace ember::sim
