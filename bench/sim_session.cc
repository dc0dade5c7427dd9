// SimSession (sim_session.h) on top of ember::sim::Simulator.
#include "bench/sim_session.h"

#include <algorithm>

#include "sim/board.h"
#include "sim/elf_image.h"
#include "sim/instruction_count_model.h"
#include "sim/simulator.h"

namespace ember::bench {

struct SimSession::Impl {
  sim::BoardConfig board;
  std::unique_ptr<sim::Simulator> simulator;
  std::string console;
};

SimSession::SimSession() : impl_(std::make_unique<Impl>()) {}
SimSession::~SimSession() = default;

bool SimSession::Open(const std::string& board, const std::string& elf_path, uint64_t cycle_budget,
                      std::string* error) {
  sim::Result<sim::BoardConfig> b = sim::LoadBoard(board);
  if (!b.ok()) {
    *error = b.status().message();
    return false;
  }
  impl_->board = *b;
  sim::Result<sim::ElfImage> image = sim::ElfImage::Read(elf_path);
  if (!image.ok()) {
    *error = image.status().message();
    return false;
  }
#if defined(EMBER_HAVE_SIM_TIMING)
  std::unique_ptr<sim::CycleModel> model = sim::MakeCycleModel(impl_->board);
#else
#error "ember bench needs the timing model (ember_sim_timing)"
#endif
  sim::SimOptions options;
  options.max_cycles = cycle_budget;
  Impl* impl = impl_.get();
  options.output = [impl](int /*stream*/, std::string_view bytes) {
    impl->console.append(bytes.data(), bytes.size());
  };
  options.command_line = elf_path;
  sim::Result<std::unique_ptr<sim::Simulator>> s =
      sim::Simulator::Create(impl_->board, std::move(*image), std::move(model), options);
  if (!s.ok()) {
    *error = s.status().message();
    return false;
  }
  impl_->simulator = std::move(*s);
  return true;
}

bool SimSession::FlashRegionEnd(uint32_t address, uint64_t* end) const {
  const sim::MemoryRegion* r = impl_->board.FindMemory(address);
  if (r == nullptr) return false;
  *end = r->end();
  return true;
}

bool SimSession::WriteMemory(uint32_t address, const void* data, size_t size, std::string* error) {
  // In chunks that never cross a 1 KB page: Unicorn 2.0.1 crashes in uc_mem_write on
  // large writes into read-only (flash) mappings.
  constexpr uint32_t kPage = 1024;
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const size_t chunk = std::min<size_t>(size, kPage - (address % kPage));
    sim::Status st = impl_->simulator->machine().WriteMemory(address, p, chunk);
    if (!st.ok()) {
      *error = st.message();
      return false;
    }
    address += static_cast<uint32_t>(chunk);
    p += chunk;
    size -= chunk;
  }
  return true;
}

bool SimSession::Run(std::shared_ptr<CallTracker> tracker, std::function<void(uint64_t)> progress,
                     Outcome* outcome, std::string* error) {
  sim::Simulator& s = *impl_->simulator;
  sim::Machine& m = s.machine();
  const sim::CycleModel* model = &s.model();
  if (tracker || progress) {
    uint64_t blocks = 0;
    sim::Status st = m.AddBlockHook(
        [tracker, progress, model, &m, blocks](uint32_t address, uint32_t /*size*/) mutable {
          if (tracker) {
            uint32_t lr = 0;
            if (tracker->IsFunctionStart(address)) {
              sim::Result<uint32_t> r = m.ReadReg(sim::Reg::kLr);
              if (r.ok()) lr = *r;
            }
            tracker->OnBlock(address, lr, model->cycles());
          }
          if (progress && (++blocks & ((1u << 20) - 1)) == 0) progress(model->cycles());
        });
    if (!st.ok()) {
      *error = st.message();
      return false;
    }
  }
  sim::Result<sim::SimResult> r = s.Run();
  if (!r.ok()) {
    *error = r.status().message();
    return false;
  }
  outcome->console = impl_->console;
  outcome->cycles = r->cycles;
  outcome->instructions = r->instructions;
  outcome->exited_ok = r->stop.reason == sim::StopReason::kExit && r->exit_code == 0;
  outcome->stop_description = std::string("simulator: ") + sim::StopReasonName(r->stop.reason) +
                              ", exit code " + std::to_string(r->exit_code);
  if (!r->report.empty()) outcome->stop_description += "\n" + r->report;
  return true;
}

}  // namespace ember::bench
