// MakeCycleModel(board): the core model plus the memory system from the board description.
//
// Board [timing] keys understood by the timing model (all optional):
//   mul_cycles = 1            Cortex-M0+ MULS: 1 (fast multiplier) or 32 (small multiplier)
//   direct_refill = 1         P after a taken direct branch (M0+/M3/M4)
//   register_refill = 2       P after BX/BLX Rm, MOV/ADD PC
//   load_refill = 3           P after LDR PC / POP {pc} / TBB
//   default_divide = 7        divide cost when the operands are not observed (2..12)
//   prefetch_buffers = 2      flash line buffers (default 2 with prefetch, else 1)
//   max_operand_hooks = 4096  code hooks for divides / M3 long multiplies
//   flash_cache_unified = true  a flash I-cache without D-cache also caches data reads
//   data_hooks = "auto"       true: every data read of slow regions observed (exact);
//                             false: static data model (fast); "auto": static behind an
//                             always-on flash cache, observed otherwise (DataTiming in
//                             cycle_model_impl.h)
//   m7.dual_issue = true      Cortex-M7 dual issue
//   m7.mispredict_penalty = 8
//   m7.l1_caches_on = false   L1 caches on before the program runs (as if a boot loader had
//                             enabled them); otherwise they follow the program's CCR writes
// Any other key is an error (a typo would otherwise silently change nothing).
#include <memory>
#include <string>

#include "sim/cycle_model.h"
#include "sim/timing/cycle_model_impl.h"

namespace ember::sim {
namespace timing {
namespace {

const char* const kKnownKeys[] = {
    "mul_cycles",          "direct_refill",  "register_refill",
    "load_refill",         "default_divide", "prefetch_buffers",
    "max_operand_hooks",   "m7.dual_issue",  "m7.mispredict_penalty",
    "flash_cache_unified", "data_hooks",     "m7.l1_caches_on",
};

bool IsPowerOfTwo(uint32_t x) { return x != 0 && (x & (x - 1)) == 0; }

std::string Where(const BoardConfig& board) {
  return board.source_path.empty() ? "board '" + board.id + "'" : board.source_path;
}

Status CheckCache(const BoardConfig& board, const char* what, const CacheConfig& c) {
  if (!c.present()) return Status::Ok();
  if (!IsPowerOfTwo(c.line_bytes) || c.line_bytes < 4 || c.line_bytes > 256 || c.ways == 0 ||
      c.bytes % (c.line_bytes * c.ways) != 0) {
    return Status::Error(Where(board) + ": " + what + ": bytes=" + std::to_string(c.bytes) +
                         " line_bytes=" + std::to_string(c.line_bytes) +
                         " ways=" + std::to_string(c.ways) +
                         " is not a valid cache (line a power of two "
                         "in 4..256, bytes a multiple of line_bytes * ways)");
  }
  return Status::Ok();
}

Result<int64_t> IntKey(const BoardConfig& board, const char* key, int64_t def, int64_t lo,
                       int64_t hi) {
  Result<int64_t> v = board.timing.GetInt(key, def);
  if (!v.ok()) return v.status();
  if (*v < lo || *v > hi) {
    return Status::Error(Where(board) + ": timing." + key + " = " + std::to_string(*v) +
                         " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                         "]");
  }
  return v;
}

}  // namespace

Result<ModelConfig> ModelConfigFromBoard(const BoardConfig& board) {
  for (const auto& [key, entry] : board.timing.entries()) {
    bool known = false;
    for (const char* k : kKnownKeys) known = known || key == k;
    if (!known) {
      std::string list;
      for (const char* k : kKnownKeys) list += std::string(list.empty() ? "" : ", ") + k;
      return Status::Error(Where(board) + ": timing." + key + " (line " +
                           std::to_string(entry.line) +
                           ") is not a timing-model key; known: " + list);
    }
  }
  ModelConfig config;
  CoreTiming& core = config.core;
  core = CoreTimingFor(board.core);
  const bool m0 = board.core == CoreKind::kCortexM0Plus;
  auto mul = IntKey(board, "mul_cycles", 1, 1, 32);
  if (!mul.ok()) return mul.status();
  if (*mul != 1 && *mul != 32) {
    return Status::Error(Where(board) + ": timing.mul_cycles must be 1 or 32");
  }
  core.mul_cycles = static_cast<uint32_t>(*mul);
  auto direct = IntKey(board, "direct_refill", core.direct_refill, 0, 8);
  auto reg = IntKey(board, "register_refill", core.register_refill, 0, 8);
  auto load = IntKey(board, "load_refill", core.load_refill, 0, 8);
  auto div = IntKey(board, "default_divide", core.default_divide, 2, 12);
  auto hooks = IntKey(board, "max_operand_hooks", config.max_operand_hooks, 0, 1 << 20);
  auto mispredict = IntKey(board, "m7.mispredict_penalty", core.mispredict_penalty, 0, 32);
  Result<bool> dual = board.timing.GetBool("m7.dual_issue", core.dual_issue);
  for (const Status* s : {&direct.status(), &reg.status(), &load.status(), &div.status(),
                          &hooks.status(), &mispredict.status(), &dual.status()}) {
    if (!s->ok()) return *s;
  }
  core.direct_refill = static_cast<uint32_t>(*direct);
  core.register_refill = static_cast<uint32_t>(*reg);
  core.load_refill = static_cast<uint32_t>(*load);
  core.default_divide = static_cast<uint32_t>(*div);
  core.mispredict_penalty = static_cast<uint32_t>(*mispredict);
  core.indirect_mispredict_penalty = core.mispredict_penalty;
  core.dual_issue = *dual;
  Result<bool> l1_on = board.timing.GetBool("m7.l1_caches_on", false);
  if (!l1_on.ok()) return l1_on.status();
  config.l1_icache_on = config.l1_dcache_on = *l1_on;
  config.max_operand_hooks = static_cast<uint32_t>(*hooks);
  if (m0 && board.has_fpu) return Status::Error(Where(board) + ": a Cortex-M0+ has no FPU");

  const FlashAccelerator& fa = board.flash_accelerator;
  EMBER_SIM_RETURN_IF_ERROR(CheckCache(board, "flash_accelerator.icache", fa.icache));
  EMBER_SIM_RETURN_IF_ERROR(CheckCache(board, "flash_accelerator.dcache", fa.dcache));
  EMBER_SIM_RETURN_IF_ERROR(CheckCache(board, "l1_cache.icache", board.l1_cache.icache));
  EMBER_SIM_RETURN_IF_ERROR(CheckCache(board, "l1_cache.dcache", board.l1_cache.dcache));
  if (fa.line_bytes != 0 && (!IsPowerOfTwo(fa.line_bytes) || fa.line_bytes > 256)) {
    return Status::Error(Where(board) + ": flash_accelerator.line_bytes = " +
                         std::to_string(fa.line_bytes) + " is not a power of two <= 256");
  }
  const bool m7 = board.core == CoreKind::kCortexM7;
  // A flash accelerator with an I-cache but no D-cache: unified (Apollo3 flash cache,
  // RP2040 XIP cache) unless the board says flash_cache_unified = false (nRF52 NVMC).
  Result<bool> unified_or = board.timing.GetBool("flash_cache_unified", true);
  if (!unified_or.ok()) return unified_or.status();
  const bool unified = *unified_or;
  auto buffers = IntKey(board, "prefetch_buffers", fa.prefetch ? 2 : 1, 1, 16);
  if (!buffers.ok()) return buffers.status();

  for (const MemoryRegion& mem : board.memories) {
    RegionTiming r;
    r.name = mem.name;
    r.base = mem.base;
    r.end = mem.end();
    r.executable = mem.executable;
    const uint32_t ws = mem.read_wait_states;
    const bool flash = mem.kind == MemoryKind::kFlash || mem.kind == MemoryKind::kRom;
    const bool behind_l1 = m7 && mem.kind != MemoryKind::kTcm;
    if (mem.executable && ws > 0) {
      r.slow_fetch = true;
      r.fetch.wait_states = ws;
      r.fetch.line_bytes = 4;  // plain flash: every 32-bit fetch pays the wait states
      if (flash && fa.present()) {
        r.fetch.prefetch = fa.prefetch;
        if (fa.line_bytes != 0) r.fetch.line_bytes = fa.line_bytes;
        if (fa.icache.present()) {
          r.fetch.line_bytes = fa.icache.line_bytes;
          r.fetch.cache_bytes = fa.icache.bytes;
          r.fetch.cache_ways = fa.icache.ways;
        }
        r.fetch.buffers = static_cast<uint32_t>(*buffers);
      }
      if (behind_l1 && board.l1_cache.icache.present()) {
        // The M7's L1 I-cache sits in front of everything else; a miss fetches a line
        // paying the memory's wait states.
        r.fetch.line_bytes = board.l1_cache.icache.line_bytes;
        r.fetch.cache_bytes = board.l1_cache.icache.bytes;
        r.fetch.cache_ways = board.l1_cache.icache.ways;
      }
    }
    if (mem.readable && ws > 0) {
      r.slow_read = true;
      r.data.read_wait_states = ws;
      const CacheConfig* dcache = nullptr;
      if (flash && fa.dcache.present()) dcache = &fa.dcache;
      if (behind_l1 && board.l1_cache.dcache.present()) dcache = &board.l1_cache.dcache;
      if (dcache == nullptr && flash && fa.icache.present() && unified && r.slow_fetch &&
          !behind_l1) {
        r.data.unified_with_fetch = true;  // data reads go through the same flash cache
      }
      if (dcache != nullptr) {
        r.data.line_bytes = dcache->line_bytes;
        r.data.cache_bytes = dcache->bytes;
        r.data.cache_ways = dcache->ways;
      }
    }
    if (behind_l1 && ws > 0 &&
        (board.l1_cache.icache.present() || board.l1_cache.dcache.present())) {
      // With the L1 caches off (CCR reset value) the core reaches this memory over AXI with
      // no cache in front. On STM32F7 the ART accelerator and flash prefetch serve only the
      // ITCM flash interface (0x00200000), not AXIM (0x08000000) (ST AN4667 'STM32F7
      // system architecture and performance'; RM0385 'Embedded Flash memory'): each access
      // reads one flash line (flash_accelerator.line_bytes, 256 bits on the F7) paying the
      // wait states; one line is kept as a read buffer for fetch and one for data
      // (approximation: ST does not document AXIM read buffering).
      const uint32_t line = fa.line_bytes != 0 ? fa.line_bytes : 4;
      r.l1_switchable = true;
      r.fetch_l1_off.wait_states = ws;
      r.fetch_l1_off.line_bytes = line;
      r.fetch_l1_off.prefetch = false;
      r.fetch_l1_off.buffers = 1;
      r.data_l1_off.read_wait_states = ws;
      r.data_l1_off.line_bytes = line;
      r.data_l1_off.cache_bytes = line;
      r.data_l1_off.cache_ways = 1;
    }
    if (mem.writable) r.write_wait_states = mem.write_wait_states;
    config.regions.push_back(r);
  }
  // Data timing mode (kAuto is resolved per region in Attach, when the program is loaded).
  config.data_timing = DataTiming::kAuto;
  if (board.timing.Has("data_hooks")) {
    const TimingParams::Value& v = board.timing.entries().at("data_hooks").value;
    if (const bool* b = std::get_if<bool>(&v)) {
      config.data_timing = *b ? DataTiming::kHooks : DataTiming::kStatic;
    } else if (const std::string* str = std::get_if<std::string>(&v);
               str == nullptr || *str != "auto") {
      return Status::Error(Where(board) + ": timing.data_hooks must be true, false or \"auto\"");
    }
  }
  return config;
}

}  // namespace timing

std::unique_ptr<CycleModel> MakeCycleModel(const BoardConfig& board) {
  Result<timing::ModelConfig> config = timing::ModelConfigFromBoard(board);
  if (!config.ok()) return std::make_unique<timing::TimingCycleModel>(config.status());
  return std::make_unique<timing::TimingCycleModel>(std::move(config.value()));
}

}  // namespace ember::sim
