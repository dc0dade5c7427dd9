// Emulated benchmark runs (sim_runner.h).
#include "bench/sim_runner.h"

#include <chrono>
#include <cstring>
#include <map>
#include <memory>

#include "bench/call_tracker.h"
#include "bench/elf_info.h"
#include "bench/model_slot.h"
#include "bench/protocol.h"
#include "bench/sim_session.h"

namespace ember::bench {
namespace {

constexpr uint32_t kAlign = EMBER_MODEL_SLOT_ALIGN;

uint32_t AlignUp(uint32_t v) { return (v + kAlign - 1) & ~(kAlign - 1); }

void PutU32(std::vector<uint8_t>* b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

bool IsCore(const std::string& mangled) {
  return mangled.rfind("_ZN5ember2rt", 0) == 0 || mangled.rfind("_ZNK5ember2rt", 0) == 0;
}

}  // namespace

std::vector<uint8_t> BuildSlot(const std::vector<uint8_t>& model,
                               const std::vector<std::vector<uint8_t>>& inputs, bool checksums,
                               bool optimized) {
  const uint32_t header = static_cast<uint32_t>(sizeof(EmberModelSlot));
  const uint32_t model_offset = AlignUp(header);
  uint32_t end = AlignUp(model_offset + static_cast<uint32_t>(model.size()));
  std::vector<uint32_t> input_offsets;
  for (const auto& in : inputs) {
    input_offsets.push_back(end);
    end = AlignUp(end + static_cast<uint32_t>(in.size()));
  }
  std::vector<uint8_t> slot(end, 0);
  PutU32(&slot, offsetof(EmberModelSlot, magic), EMBER_MODEL_SLOT_MAGIC);
  PutU32(&slot, offsetof(EmberModelSlot, version), EMBER_MODEL_SLOT_VERSION);
  PutU32(&slot, offsetof(EmberModelSlot, flags),
         (checksums ? EMBER_MODEL_SLOT_CHECKSUMS : 0u) |
             (optimized ? EMBER_MODEL_SLOT_OPTIMIZED : 0u));
  PutU32(&slot, offsetof(EmberModelSlot, model_offset), model_offset);
  PutU32(&slot, offsetof(EmberModelSlot, model_bytes), static_cast<uint32_t>(model.size()));
  PutU32(&slot, offsetof(EmberModelSlot, num_inputs), static_cast<uint32_t>(inputs.size()));
  if (!model.empty()) std::memcpy(slot.data() + model_offset, model.data(), model.size());
  for (size_t i = 0; i < inputs.size() && i < EMBER_MODEL_SLOT_MAX_INPUTS; ++i) {
    const size_t entry = offsetof(EmberModelSlot, inputs) + i * sizeof(EmberModelSlotInput);
    PutU32(&slot, entry, input_offsets[i]);
    PutU32(&slot, entry + 4, static_cast<uint32_t>(inputs[i].size()));
    if (!inputs[i].empty()) {
      std::memcpy(slot.data() + input_offsets[i], inputs[i].data(), inputs[i].size());
    }
  }
  return slot;
}

void RunOnBoard(const SimRunRequest& request, SimRunResponse* response) {
  *response = SimRunResponse{};
  RunResult& run = response->run;
  if (request.inputs.size() > EMBER_MODEL_SLOT_MAX_INPUTS) {
    run.error = "the benchmark firmware takes at most 8 inputs";
    return;
  }
  ElfInfo elf;
  std::string err;
  if (!ReadElf(request.elf_path, &elf, &err)) {
    run.error = err;
    return;
  }
  const ElfSymbol* flash_end = elf.Find("__flash_used_end");
  if (flash_end == nullptr) {
    run.error = request.elf_path + ": no __flash_used_end symbol (not a bench firmware?)";
    return;
  }
  const uint32_t slot_address = AlignUp(flash_end->value);
  const std::vector<uint8_t> slot =
      BuildSlot(request.model, request.inputs, request.checksums, request.optimized);

  SimSession session;
  if (!session.Open(request.board, request.elf_path, request.cycle_budget, &err)) {
    run.error = err;
    return;
  }
  // The slot must fit the flash region the image ends in.
  uint64_t region_end = 0;
  if (!session.FlashRegionEnd(flash_end->value == 0 ? 0 : flash_end->value - 1, &region_end)) {
    run.error = "the firmware's flash end is outside the board's memories";
    return;
  }
  if (uint64_t{slot_address} + slot.size() > region_end) {
    response->fits = false;
    response->not_fit_reason =
        "model + inputs need " + std::to_string(slot.size()) + " bytes of flash after the " +
        "firmware, the board has " +
        std::to_string(region_end > slot_address ? region_end - slot_address : 0);
    return;
  }
  if (!session.WriteMemory(slot_address, slot.data(), slot.size(), &err)) {
    run.error = err;
    return;
  }

  std::shared_ptr<CallTracker> tracker;
  if (request.cross_check) {
    std::vector<uint32_t> starts;
    std::vector<CallTracker::Range> core;
    for (const ElfSymbol& s : elf.symbols) {
      if (s.type != 2) continue;  // STT_FUNC
      starts.push_back(s.value & ~1u);
      if (IsCore(s.name) && s.size > 0) core.push_back({s.value & ~1u, (s.value & ~1u) + s.size});
    }
    tracker = std::make_shared<CallTracker>(std::move(starts), std::move(core));
  }
  const auto t0 = std::chrono::steady_clock::now();
  SimSession::Outcome outcome;
  if (!session.Run(tracker, request.progress, &outcome, &err)) {
    run.error = err;
    return;
  }
  response->host_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  response->console = outcome.console;
  response->cycles = outcome.cycles;
  response->instructions = outcome.instructions;
  ParseFirmwareOutput(outcome.console, &run);
  if (!outcome.exited_ok) {
    run.ok = false;
    run.error = outcome.stop_description + (run.error.empty() ? "" : "; " + run.error);
  }
  if (!run.ok || !tracker) {
    response->cross.note = run.ok ? "disabled" : "the run failed";
    return;
  }
  // Match the k-th call of each kernel's invoke function with the k-th op using it.
  CrossCheck& c = response->cross;
  c.valid = true;
  std::map<uint32_t, size_t> seen;  // kernel invoke address -> ops so far
  for (const OpProfile& op : run.ops) {
    const size_t k = seen[op.invoke_address & ~1u]++;
    const CallTracker::Call* call =
        op.invoke_address == 0 ? nullptr : tracker->NthCall(op.invoke_address, k);
    const ElfSymbol* fn = elf.FunctionAt(op.invoke_address);
    c.functions.push_back(fn ? Demangle(fn->name) : "?");
    if (call == nullptr) {
      c.valid = false;
      c.note = "no call of op " + std::to_string(op.index) + "'s kernel was seen";
      return;
    }
    c.cycles.push_back(call->cycles);
  }
}

}  // namespace ember::bench
