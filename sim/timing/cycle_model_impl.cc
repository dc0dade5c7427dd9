#include "sim/timing/cycle_model_impl.h"

#include <algorithm>
#include <utility>

namespace ember::sim::timing {
namespace {

constexpr size_t kPredictorEntries = 1u << 10;

// Thumb-2 encodings of the operand-dependent instructions (first, second halfword masks).
struct Pattern {
  uint16_t hw1_mask, hw1, hw2_mask, hw2;
};
constexpr Pattern kDividePatterns[] = {
    {0xfff0, 0xfb90, 0xf0f0, 0xf0f0},  // SDIV
    {0xfff0, 0xfbb0, 0xf0f0, 0xf0f0},  // UDIV
};
constexpr Pattern kLongMulPatterns[] = {
    {0xfff0, 0xfb80, 0x00f0, 0x0000},  // SMULL
    {0xfff0, 0xfba0, 0x00f0, 0x0000},  // UMULL
    {0xfff0, 0xfbc0, 0x00f0, 0x0000},  // SMLAL
    {0xfff0, 0xfbe0, 0x00f0, 0x0000},  // UMLAL
};

bool IsFpClass(OpClass c) {
  switch (c) {
    case OpClass::kFpAlu:
    case OpClass::kFpMac:
    case OpClass::kFpDiv:
    case OpClass::kFpLoad:
    case OpClass::kFpStore:
    case OpClass::kFpLoadMulti:
    case OpClass::kFpStoreMulti:
    case OpClass::kFpMove:
      return true;
    default:
      return false;
  }
}

bool Matches(const Pattern& p, uint16_t hw1, uint16_t hw2) {
  return (hw1 & p.hw1_mask) == p.hw1 && (hw2 & p.hw2_mask) == p.hw2;
}

}  // namespace

struct TimingCycleModel::BlockInfo {
  uint32_t address = 0;
  uint32_t size = 0;
  uint32_t fallthrough = 0;
  uint32_t branch_address = 0;  // address of the final instruction
  uint32_t cycles = 0;
  uint32_t instructions = 0;
  BlockEnd end = BlockEnd::kFallThrough;
  uint8_t taken_penalty = 0;
  uint8_t entry_penalty = 0;  // extra refill when this block is a taken branch's target
  bool end_indirect = false;
  bool end_returns = false;
  bool has_literal_reads = false;
  uint8_t chain_bits = 0;       // CycleModel::kBlock* bits of this block (BlockChain)
  FetchModel* fetch = nullptr;  // null: code in zero-wait memory
  mutable uint64_t fetch_stamp = ~uint64_t{0};  // fetch->misses() after its last fetch
  uint32_t last_line_cycles = 0;                // lines.back().cycles
  mutable FetchMemo fetch_memo;
  std::vector<LineUse> lines;
  // Static data timing: literal-pool loads from slow memories (address known statically).
  std::vector<std::pair<DataModel*, uint32_t>> literal_reads;
};

TimingCycleModel::TimingCycleModel(ModelConfig config) : config_(std::move(config)) {}
TimingCycleModel::TimingCycleModel(Status error) : config_status_(std::move(error)) {
  if (config_status_.ok()) config_status_ = Status::Error("timing model: not configured");
}
TimingCycleModel::~TimingCycleModel() = default;

const RegionTiming* TimingCycleModel::RegionOf(uint32_t address) const {
  for (const RegionTiming& r : config_.regions) {
    if (address >= r.base && address < r.end) return &r;
  }
  return nullptr;
}

Status TimingCycleModel::Attach(Machine& machine) {
  EMBER_SIM_RETURN_IF_ERROR(config_status_);
  if (machine_ != nullptr) return Status::Error("timing model: Attach called twice");
  if (machine.started()) {
    return Status::Error(
        "timing model: Attach must come before the first Run (Unicorn "
        "would not call hooks in blocks it already translated)");
  }
  machine_ = &machine;
  auto analyzer = BlockAnalyzer::Create(config_.core);
  if (!analyzer.ok()) return analyzer.status();
  analyzer_ = std::move(analyzer.value());
  m7_ = config_.core.core == CoreKind::kCortexM7;
  l1_icache_on_ = config_.l1_icache_on;
  l1_dcache_on_ = config_.l1_dcache_on;
  front_.fill(FrontSlot{});
  predictor_.assign(kPredictorEntries, PredictorEntry{});
  start_block_ = std::make_unique<BlockInfo>();
  start_block_->fallthrough = 0xffffffffu;
  prev_ = start_block_.get();

  fetch_models_.clear();
  data_models_.clear();
  data_hooked_.clear();
  for (size_t i = 0; i < config_.regions.size(); ++i) {
    const RegionTiming& r = config_.regions[i];
    std::unique_ptr<FetchModel> fetch;
    std::unique_ptr<DataModel> data;
    if (r.slow_fetch) {
      fetch = std::make_unique<FetchModel>();
      fetch->Configure(r.l1_switchable && !l1_icache_on_ ? r.fetch_l1_off : r.fetch);
    }
    if (r.slow_read) {
      data = std::make_unique<DataModel>();
      data->Configure(r.l1_switchable && !l1_dcache_on_ ? r.data_l1_off : r.data);
      if (r.data.unified_with_fetch && fetch) data->ShareCache(fetch->cache(), fetch->line_shift());
    }
    // kAuto with an ELF loaded: a data-side cache that is always on (a flash cache) hides
    // the wait states but for capacity/conflict misses: static model (measured on the VWW
    // firmware: 0.2% fewer cycles than exact on sparkfun_edge, 4% on raspberry_pi_pico),
    // and emulation at raw Unicorn speed. Without one (or with the M7 L1 D-cache, which the
    // program may leave off) every read is observed (exact, ~25 ns per read in Unicorn).
    const bool cache_always_on =
        !r.l1_switchable &&
        (r.data.unified_with_fetch ? r.fetch.cache_bytes != 0 : r.data.cache_bytes != 0);
    bool hooked = false;
    bool observed = false;
    const bool elf_auto = config_.data_timing == DataTiming::kAuto && machine.has_code_ranges();
    const bool elf_exact = config_.data_timing == DataTiming::kHooks && machine.has_code_ranges();
    if (r.slow_read && ((elf_auto && !cache_always_on) || elf_exact)) {
      EMBER_SIM_RETURN_IF_ERROR(ObserveRegion(r, data.get(), &observed));
    }
    if (r.slow_read && !observed && !(elf_auto && cache_always_on)) {
      Result<bool> use = UseDataHooks(r);
      if (!use.ok()) return use.status();
      hooked = *use;
    }
    data_hooked_.push_back(hooked);
    if (hooked) {
      ++stats_.data_hook_regions;
      DataModel* model = data.get();
      EMBER_SIM_RETURN_IF_ERROR(
          machine.AddMemHook(AccessKind::kRead, r.base, static_cast<uint32_t>(r.end - 1),
                             [this, model](AccessKind, uint32_t address, unsigned, uint32_t) {
                               const uint32_t stall = model->Read(address);
                               cycles_ += stall;
                               stats_.data_stall_cycles += stall;
                               ++stats_.data_reads;
                             }));
    }
    if (r.write_wait_states > 0) {
      const uint32_t ws = r.write_wait_states;
      EMBER_SIM_RETURN_IF_ERROR(
          machine.AddMemHook(AccessKind::kWrite, r.base, static_cast<uint32_t>(r.end - 1),
                             [this, ws](AccessKind, uint32_t, unsigned, uint32_t) {
                               cycles_ += ws;
                               stats_.data_stall_cycles += ws;
                             }));
    }
    fetch_models_.push_back(std::move(fetch));
    data_models_.push_back(std::move(data));
  }
  EMBER_SIM_RETURN_IF_ERROR(InstallOperandHooks());
  return machine.AddBlockHook(&TimingCycleModel::BlockThunk, this);
}

void TimingCycleModel::SetCoreCaches(bool icache, bool dcache) {
  if (machine_ == nullptr || (icache == l1_icache_on_ && dcache == l1_dcache_on_)) return;
  l1_icache_on_ = icache;
  l1_dcache_on_ = dcache;
  ConfigureL1Regions();
}

// Re-configures the memories behind the M7 L1 caches for the current CCR.IC/DC. A cache
// that is switched on starts empty (software invalidates it before enabling it). Blocks
// priced with the old fetch model (line lists, residency stamps) are retired and priced
// again when they next run; `prev_` may point at one, so they are kept.
void TimingCycleModel::ConfigureL1Regions() {
  bool changed = false;
  for (size_t i = 0; i < config_.regions.size(); ++i) {
    const RegionTiming& r = config_.regions[i];
    if (!r.l1_switchable) continue;
    if (fetch_models_[i]) fetch_models_[i]->Configure(l1_icache_on_ ? r.fetch : r.fetch_l1_off);
    if (data_models_[i]) data_models_[i]->Configure(l1_dcache_on_ ? r.data : r.data_l1_off);
    changed = true;
  }
  if (!changed) return;
  for (auto& [key, block] : blocks_) retired_.push_back(std::move(block));
  blocks_.clear();
  front_.fill(FrontSlot{});
}

inline uint32_t TimingCycleModel::FetchSlowPath(const BlockInfo& b, bool sequential) {
  FetchModel& fetch = *b.fetch;
  bool resident = false;
  uint32_t stall = 0;
  if (!fetch.Replay(b.fetch_memo, sequential, &stall, &resident)) {
    stall =
        fetch.FetchMemoized(b.lines.data(), b.lines.size(), sequential, &b.fetch_memo, &resident);
  }
  stats_.fetch_stall_cycles += stall;
  b.fetch_stamp = resident ? fetch.misses() : ~uint64_t{0};
  return stall;
}

inline void TimingCycleModel::OnBlock(uint32_t address, uint32_t size) {
  // The hot path: one slot compare, a few fields of this and the previous block.
  FrontSlot& slot = front_[(address >> 1) & (kFrontSlots - 1)];
  const BlockInfo* b;
  uint32_t extra = 0;  // first execution of a block whose operand hooks were just added
  if (slot.info != nullptr && slot.address == address && slot.size == size) {
    b = slot.info;
  } else {
    const auto it = blocks_.find((uint64_t{address} << 32) | size);
    b = it != blocks_.end() ? it->second.get() : Translate(address, size);
    slot = FrontSlot{address, size, b};
    extra = first_run_extra_;
    first_run_extra_ = 0;
  }
  const BlockInfo& prev = *prev_;
  const bool sequential = address == prev.fallthrough;
  uint64_t c = b->cycles + extra;
  if (prev.end != BlockEnd::kFallThrough) {
    uint32_t penalty = 0;
    if (m7_) {
      penalty = BranchPenaltyM7(prev, address, sequential);
    } else if (prev.end == BlockEnd::kAlways || !sequential) {
      penalty = prev.taken_penalty + b->entry_penalty;
    }
    c += penalty;
    stats_.branch_cycles += penalty;
  }
  if (b->fetch != nullptr) {
    FetchModel& fetch = *b->fetch;
    if (b->fetch_stamp == fetch.misses()) {
      fetch.NoteResidentFetch(b->last_line_cycles);
    } else {
      c += FetchSlowPath(*b, sequential);
    }
  }
  if (b->has_literal_reads) {
    for (const auto& [model, literal] : b->literal_reads) {
      const uint32_t stall = model->Read(literal);
      c += stall;
      stats_.data_stall_cycles += stall;
    }
  }
  cycles_ += c;
  instructions_ += b->instructions;
  prev_ = b;
}

bool TimingCycleModel::ChainBlockHook(const BlockChain& chain) {
  chain_ = chain;
  if (chain_.gate == nullptr) chain_.gate = &always_gate_;
  if (chain_.armed == nullptr) chain_.armed = &never_armed_;
  return true;
}

void TimingCycleModel::BlockThunk(uc_struct*, uint64_t address64, uint32_t size, void* self) {
  auto* model = static_cast<TimingCycleModel*>(self);
  const auto address = static_cast<uint32_t>(address64);
  model->OnBlock(address, size);  // sets prev_ to this block
  const BlockChain& chain = model->chain_;
  if (chain.fn != nullptr &&
      (model->cycles_ >= *chain.gate || (model->prev_->chain_bits & *chain.armed) != 0)) {
    chain.fn(chain.ctx, address, size);
  }
}

void TimingCycleModel::ObservedReadThunk(void* sink, uint32_t address, unsigned) {
  const ReadSink& s = *static_cast<ReadSink*>(sink);
  if (s.data == nullptr) return;  // region left to hooks or the static model
  const uint32_t stall = s.data->Read(address);
  s.model->cycles_ += stall;
  s.model->stats_.data_stall_cycles += stall;
  ++s.model->stats_.data_reads;
}

// The region's pages without code become MMIO observed by ObservedReadThunk (no Unicorn
// memory hook). `observed` is false when none could be (the region is all code).
Status TimingCycleModel::ObserveRegion(const RegionTiming& r, DataModel* data, bool* observed) {
  sinks_.push_back(std::make_unique<ReadSink>(ReadSink{this, data}));
  auto ranges = machine_->ObserveReads(r.base, r.end, &TimingCycleModel::ObservedReadThunk,
                                       sinks_.back().get());
  if (!ranges.ok()) return ranges.status();
  // Observed pages must hold some of what was loaded; if the data sits only on pages that
  // also hold code (e.g. an ELF whose .rodata is merged into .text) the caller falls back
  // to the other modes, and the (empty) observed pages stop charging.
  bool holds_data = false;
  std::vector<uint8_t> bytes;
  for (const Machine::AddressRange& range : *ranges) {
    bytes.resize(static_cast<size_t>(range.end - range.begin));
    EMBER_SIM_RETURN_IF_ERROR(machine_->ReadMemory(range.begin, bytes.data(), bytes.size()));
    holds_data = holds_data || std::any_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b; });
  }
  if (!holds_data) {
    sinks_.back()->data = nullptr;
    *observed = false;
    return Status::Ok();
  }
  for (const Machine::AddressRange& range : *ranges) {
    observed_.push_back(range);
    stats_.data_observed_bytes += range.end - range.begin;
  }
  *observed = true;
  return Status::Ok();
}

bool TimingCycleModel::Observed(uint32_t address) const {
  for (const Machine::AddressRange& range : observed_) {
    if (address >= range.begin && address < range.end) return true;
  }
  return false;
}

Result<bool> TimingCycleModel::UseDataHooks(const RegionTiming& r) {
  if (config_.data_timing != DataTiming::kAuto) return config_.data_timing == DataTiming::kHooks;
  const uint64_t cache_bytes = r.data.unified_with_fetch ? r.fetch.cache_bytes : r.data.cache_bytes;
  if (cache_bytes == 0) return true;
  // What is loaded: lines holding any non-zero byte (Unicorn maps memory zero-filled).
  const uint32_t line_bytes =
      std::max<uint32_t>(4, r.data.unified_with_fetch ? r.fetch.line_bytes : r.data.line_bytes);
  std::vector<uint8_t> bytes(static_cast<size_t>(r.end - r.base));
  EMBER_SIM_RETURN_IF_ERROR(machine_->ReadMemory(r.base, bytes.data(), bytes.size()));
  uint64_t loaded = 0;
  for (size_t line = 0; line < bytes.size(); line += line_bytes) {
    const size_t end = std::min(bytes.size(), line + line_bytes);
    for (size_t i = line; i < end; ++i) {
      if (bytes[i] != 0) {
        loaded += line_bytes;
        break;
      }
    }
  }
  return loaded > cache_bytes;
}

// Finds SDIV/UDIV (and on the M3 the long multiplies) in the executable memories as they
// are now (the program is loaded before Attach) and hooks exactly those addresses. A
// halfword-aligned scan also matches data that looks like these encodings; such hooks never
// fire because no instruction starts there, and Capstone confirms every candidate.
Status TimingCycleModel::InstallOperandHooks() {
  const CoreKind core = config_.core.core;
  if (core == CoreKind::kCortexM0Plus) return Status::Ok();
  const bool long_mul = core == CoreKind::kCortexM3;
  std::vector<uint8_t> bytes;
  std::vector<DecodedInsn> decoded;
  for (const RegionTiming& r : config_.regions) {
    if (!r.executable) continue;
    const uint64_t size = r.end - r.base;
    bytes.resize(static_cast<size_t>(size));
    EMBER_SIM_RETURN_IF_ERROR(machine_->ReadMemory(r.base, bytes.data(), bytes.size()));
    for (size_t off = 0; off + 4 <= bytes.size(); off += 2) {
      const uint16_t hw1 = static_cast<uint16_t>(bytes[off] | (bytes[off + 1] << 8));
      if ((hw1 & 0xff00) != 0xfb00) continue;  // all candidates start with 0xfbXX
      const uint16_t hw2 = static_cast<uint16_t>(bytes[off + 2] | (bytes[off + 3] << 8));
      bool candidate = false;
      for (const Pattern& p : kDividePatterns) candidate = candidate || Matches(p, hw1, hw2);
      if (long_mul) {
        for (const Pattern& p : kLongMulPatterns) candidate = candidate || Matches(p, hw1, hw2);
      }
      if (!candidate) continue;
      if (operand_insns_.size() >= config_.max_operand_hooks) return Status::Ok();
      const uint32_t address = static_cast<uint32_t>(r.base + off);
      analyzer_->Decode(address, &bytes[off], 4, &decoded);
      if (decoded.size() != 1 || !NeedsOperandHook(decoded[0].cls, core)) continue;
      const DecodedInsn& d = decoded[0];
      if (d.op_reg_a > 15 || d.op_reg_b > 15) continue;
      operand_insns_[address] = OperandInsn{d.cls, d.op_reg_a, d.op_reg_b, d.op_signed, false};
    }
  }
  // Every call of a Unicorn code hook walks all installed code hooks (~3 ns each), so a
  // firmware with hundreds of candidates (a halfword sweep also matches data) gets its hooks
  // only when a block holding one is first executed (Translate); few candidates (the timing
  // microbenchmarks) are hooked now.
  lazy_operand_hooks_ = operand_insns_.size() > kEagerOperandHooks;
  if (lazy_operand_hooks_) return Status::Ok();
  for (auto& [address, op] : operand_insns_) {
    EMBER_SIM_RETURN_IF_ERROR(HookOperandInsn(address, &op, address, address + 4));
  }
  return Status::Ok();
}

Status TimingCycleModel::HookOperandInsn(uint32_t address, OperandInsn* op,
                                         uint32_t retranslate_begin, uint64_t retranslate_end) {
  op->hooked = true;
  ++stats_.operand_hooks;
  const OperandInsn copy = *op;
  return machine_->AddCodeHookLate(
      address, address + 3, [this, copy](uint32_t, uint32_t) { OnOperandInsn(copy); },
      retranslate_begin, retranslate_end);
}

void TimingCycleModel::OnOperandInsn(const OperandInsn& op) {
  const Reg regs[2] = {static_cast<Reg>(op.reg_a), static_cast<Reg>(op.reg_b)};
  uint32_t v[2] = {0, 0};
  uint32_t cost;
  if (!machine_->ReadRegs(regs, v, 2).ok()) {
    cost = config_.core.default_divide;  // cannot happen with a valid machine
  } else if (op.cls == OpClass::kDiv) {
    cost = DivideCycles(v[0], v[1], op.is_signed);
  } else {
    cost = LongMultiplyCyclesM3(v[0], v[1], op.is_signed, op.cls == OpClass::kMulLongAcc);
  }
  cycles_ += cost;
  stats_.operand_cycles += cost;
}

const TimingCycleModel::BlockInfo* TimingCycleModel::Translate(uint32_t address, uint32_t size) {
  std::vector<uint8_t> bytes(size);
  auto info = std::make_unique<BlockInfo>();
  info->address = address;
  info->size = size;
  info->fallthrough = address + size;
  const HookedPredicate hooked = [this](uint32_t a) { return operand_insns_.count(a) != 0; };
  BlockCost cost;
  const bool decoded_ok = size > 0 && machine_->ReadMemory(address, bytes.data(), size).ok();
  if (decoded_ok) {
    cost = analyzer_->Analyze(address, bytes.data(), size, hooked);
  } else {
    // Unreadable (cannot happen for code Unicorn just translated): 1 cycle per halfword.
    cost.cycles = size / 2;
    cost.insns.push_back(InsnCost{address, 2, static_cast<uint16_t>(size / 2)});
  }
  if (lazy_operand_hooks_ && decoded_ok) {
    // Hook this block's operand-dependent instructions now (InstallOperandHooks). This
    // execution is already translated without the hook calls: it pays the static mid-range
    // cost of those instructions (what `cost` would be without them hooked), later
    // executions the operand-exact cost.
    std::vector<uint32_t> added;
    for (const DecodedInsn& d : analyzer_->last_decoded()) {
      const auto it = operand_insns_.find(d.address);
      if (it == operand_insns_.end() || it->second.hooked) continue;
      const Status st = HookOperandInsn(d.address, &it->second, address, uint64_t{address} + size);
      if (!st.ok()) {
        machine_->StopWithFault(Fault{FaultKind::kInternal, address, false, 0, st.message()});
        break;
      }
      added.push_back(d.address);
    }
    if (!added.empty()) {
      const HookedPredicate unhooked_now = [this, &added](uint32_t a) {
        return operand_insns_.count(a) != 0 &&
               std::find(added.begin(), added.end(), a) == added.end();
      };
      const BlockCost first = CostBlock(analyzer_->last_decoded(), config_.core, unhooked_now);
      first_run_extra_ = first.cycles > cost.cycles ? first.cycles - cost.cycles : 0;
      stats_.operand_cycles += first_run_extra_;
    }
  }
  info->cycles = cost.cycles;
  info->instructions = static_cast<uint32_t>(cost.insns.size());
  info->end = cost.end;
  info->taken_penalty = cost.taken_penalty;
  info->entry_penalty = cost.unaligned_wide_entry ? 1 : 0;
  info->end_indirect = cost.end_indirect;
  info->end_returns = cost.end_returns;
  info->branch_address = cost.insns.empty() ? address : cost.insns.back().address;
  for (size_t i = 0; i < config_.regions.size(); ++i) {
    const RegionTiming& r = config_.regions[i];
    if (address < r.base || address >= r.end || !fetch_models_[i]) continue;
    FetchModel* fetch = fetch_models_[i].get();
    info->fetch = fetch;
    const uint32_t shift = fetch->line_shift();
    for (const InsnCost& c : cost.insns) {
      const uint32_t first = c.address >> shift;
      const uint32_t last = (c.address + c.size - 1) >> shift;
      for (uint32_t line = first; line <= last; ++line) {
        if (info->lines.empty() || info->lines.back().line != line) {
          info->lines.push_back(LineUse{line, 0});
        }
        if (line == first) info->lines.back().cycles += c.cycles;
      }
    }
  }
  if (size > 0 && decoded_ok) {
    // The instructions Analyze() decoded above (one Capstone pass per block).
    for (const DecodedInsn& d : analyzer_->last_decoded()) {
      if (!d.literal ||
          (d.cls != OpClass::kLoad && d.cls != OpClass::kLoadDual && d.cls != OpClass::kFpLoad)) {
        continue;
      }
      const uint32_t target = ((d.address + 4) & ~3u) + static_cast<uint32_t>(d.disp);
      for (size_t i = 0; i < config_.regions.size(); ++i) {
        const RegionTiming& r = config_.regions[i];
        if (target >= r.base && target < r.end && data_models_[i] && !data_hooked_[i] &&
            !Observed(target)) {
          info->literal_reads.emplace_back(data_models_[i].get(), target);
        }
      }
    }
  }
  info->has_literal_reads = !info->literal_reads.empty();
  if (decoded_ok) {
    // BlockChain::kBlockHasFp: as UsageFaultChecker decides (FP before the first store).
    for (const DecodedInsn& d : analyzer_->last_decoded()) {
      if (d.cls == OpClass::kStore || d.cls == OpClass::kStoreDual ||
          d.cls == OpClass::kStoreMulti) {
        break;
      }
      if (IsFpClass(d.cls)) {
        info->chain_bits |= kBlockHasFp;
        break;
      }
    }
  }
  info->last_line_cycles = info->lines.empty() ? 0 : info->lines.back().cycles;
  ++stats_.blocks_translated;
  const uint64_t key = (uint64_t{address} << 32) | size;
  BlockInfo* raw = info.get();
  blocks_[key] = std::move(info);
  return raw;
}

uint32_t TimingCycleModel::BranchPenaltyM7(const BlockInfo& prev, uint32_t target,
                                           bool sequential) {
  PredictorEntry& e = predictor_[(prev.branch_address >> 1) & (kPredictorEntries - 1)];
  const uint32_t miss = config_.core.mispredict_penalty;
  if (prev.end == BlockEnd::kConditional) {
    const bool taken = !sequential;
    const bool predicted_taken = e.counter >= 2;
    if (taken && e.counter < 3) ++e.counter;
    if (!taken && e.counter > 0) --e.counter;
    if (taken && prev.end_indirect) {
      const bool hit = e.target == target;
      e.target = target;
      if (!hit) return config_.core.indirect_mispredict_penalty;
    }
    return predicted_taken == taken ? 0 : miss;
  }
  if (prev.end_returns || !prev.end_indirect) return 0;  // return stack / BTB hit
  const bool hit = e.target == target;
  e.target = target;
  return hit ? 0 : config_.core.indirect_mispredict_penalty;
}

}  // namespace ember::sim::timing
