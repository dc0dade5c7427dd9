#include "tests/sim_timing/timing_harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "sim/cycle_model.h"

namespace ember::sim::timing::testing {

Result<AsmImage> LoadAsmImage(const std::string& name) {
  const std::string base = std::string(EMBER_TIMING_ASM_DIR) + "/" + name;
  AsmImage image;
  std::ifstream bin(base + ".bin", std::ios::binary);
  if (!bin) return Status::Error("cannot open " + base + ".bin");
  image.bytes.assign(std::istreambuf_iterator<char>(bin), std::istreambuf_iterator<char>());
  std::ifstream sym(base + ".sym");
  if (!sym) return Status::Error("cannot open " + base + ".sym");
  std::string line;
  while (std::getline(sym, line)) {
    std::istringstream in(line);
    std::string value, type, symbol;
    if (!(in >> value >> type >> symbol)) continue;
    image.symbols[symbol] = static_cast<uint32_t>(std::stoul(value, nullptr, 16)) & ~1u;
  }
  if (image.bytes.empty()) return Status::Error(base + ".bin is empty");
  return image;
}

BoardConfig TestBoard(CoreKind core, uint32_t flash_ws) {
  BoardConfig b;
  b.id = "timing_test";
  b.name = "timing test board";
  b.core = core;
  b.clock_hz = 100000000;
  const bool v7em = core == CoreKind::kCortexM4 || core == CoreKind::kCortexM7;
  b.has_fpu = v7em;
  b.has_dsp = v7em;
  b.vector_table = kFlashBase;
  MemoryRegion flash;
  flash.name = "flash";
  flash.base = kFlashBase;
  flash.size = 0x10000;
  flash.kind = MemoryKind::kFlash;
  flash.writable = false;
  flash.read_wait_states = flash_ws;
  MemoryRegion sram;
  sram.name = "sram";
  sram.base = kSramBase;
  sram.size = kSramSize;
  sram.kind = MemoryKind::kSram;
  b.memories = {flash, sram};
  return b;
}

Result<BenchRun> RunBench(const BoardConfig& board, const BenchSpec& spec) {
  const auto sym = spec.image->symbols.find(spec.symbol);
  if (sym == spec.image->symbols.end()) return Status::Error("no symbol " + spec.symbol);
  auto machine_or = Machine::Create(board);
  if (!machine_or.ok()) return machine_or.status();
  std::unique_ptr<Machine> machine = std::move(machine_or.value());
  EMBER_SIM_RETURN_IF_ERROR(
      machine->WriteMemory(spec.load_base, spec.image->bytes.data(), spec.image->bytes.size()));
  for (const auto& [address, value] : spec.words) {
    EMBER_SIM_RETURN_IF_ERROR(machine->WriteU32(address, value));
  }
  const MemoryRegion* ram = board.FindMemory(kSramBase);
  for (const MemoryRegion& m : board.memories) {
    if (ram == nullptr && m.writable && m.kind != MemoryKind::kPeriph) ram = &m;
  }
  if (ram == nullptr) return Status::Error("board has no RAM for the stack");
  EMBER_SIM_RETURN_IF_ERROR(machine->WriteReg(Reg::kSp, static_cast<uint32_t>(ram->end())));
  EMBER_SIM_RETURN_IF_ERROR(machine->WriteReg(Reg::kLr, Machine::kStopAddress | 1));
  for (const auto& [reg, value] : spec.regs) {
    EMBER_SIM_RETURN_IF_ERROR(machine->WriteReg(reg, value));
  }
  std::unique_ptr<CycleModel> model = MakeCycleModel(board);
  EMBER_SIM_RETURN_IF_ERROR(model->Attach(*machine));
  model->SetCoreCaches(spec.l1_caches_on, spec.l1_caches_on);
  auto stop = machine->Run(spec.load_base + sym->second);
  if (!stop.ok()) return stop.status();
  if (stop->reason == StopReason::kFault) {
    return Status::Error(std::string("benchmark faulted: ") + FaultKindName(stop->fault.kind) +
                         " at pc " + std::to_string(stop->fault.pc) + " " + stop->fault.detail);
  }
  // A benchmark must end by returning to the stop address; anything else (an exception
  // Unicorn raised, e.g. NOCP for a disabled FPU) would leave block costs half-true.
  auto pc = machine->ReadReg(Reg::kPc);
  if (!pc.ok()) return pc.status();
  if ((*pc & ~1u) != Machine::kStopAddress) {
    return Status::Error("benchmark " + spec.symbol + " did not return: " + stop->message);
  }
  BenchRun run;
  run.cycles = model->cycles();
  run.instructions = model->instructions();
  for (int i = 0; i < 4; ++i) {
    auto v = machine->ReadReg(static_cast<Reg>(i));
    if (!v.ok()) return v.status();
    run.r[i] = *v;
  }
  return run;
}

BenchRun RunSimple(const BoardConfig& board, const AsmImage& image, const std::string& symbol,
                   std::vector<std::pair<Reg, uint32_t>> regs, uint32_t load_base) {
  BenchSpec spec;
  spec.image = &image;
  spec.symbol = symbol;
  spec.load_base = load_base;
  spec.regs = {{Reg::kR0, kDataAddr}, {Reg::kR3, 0}};
  spec.regs.insert(spec.regs.end(), regs.begin(), regs.end());
  spec.words = {{kDataAddr, kDataAddr + 16}, {kDataAddr + 4, 7}, {kDataAddr + 8, 9}};
  auto run = RunBench(board, spec);
  EXPECT_TRUE(run.ok()) << symbol << ": " << run.status().message();
  return run.ok() ? run.value() : BenchRun{};
}

}  // namespace ember::sim::timing::testing
