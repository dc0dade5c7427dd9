// InstructionCountModel: the FALLBACK cycle model, 1 cycle per instruction (what Renode,
// QEMU icount and FVPs do). It is not the timing model (that is sim/timing/, target
// ember_sim_timing); the simulator uses it only when asked to (`ember sim --timing=none`)
// or when ember_sim_timing is not built, and says so in its output.
// Instructions are counted per translated block with one block hook; each block's Thumb
// instruction count is decoded once from the halfword encodings and cached.
#ifndef EMBER_SIM_INSTRUCTION_COUNT_MODEL_H_
#define EMBER_SIM_INSTRUCTION_COUNT_MODEL_H_

#include <cstdint>
#include <unordered_map>

#include "sim/cycle_model.h"

namespace ember::sim {

class InstructionCountModel : public CycleModel {
 public:
  Status Attach(Machine& machine) override;
  uint64_t cycles() const override { return instructions_ + extra_cycles_; }
  void AddCycles(uint64_t n) override { extra_cycles_ += n; }
  uint64_t instructions() const override { return instructions_; }

 private:
  uint32_t CountInstructions(uint32_t address, uint32_t size);

  Machine* machine_ = nullptr;
  uint64_t instructions_ = 0;
  uint64_t extra_cycles_ = 0;
  std::unordered_map<uint32_t, uint32_t> block_counts_;
};

// NullCycleModel: installs no hooks and counts nothing (0 cycles, 0 instructions). Only for
// measuring Unicorn's own speed without hooks (`ember sim --timing raw`).
class NullCycleModel : public CycleModel {
 public:
  Status Attach(Machine&) override { return Status::Ok(); }
  uint64_t cycles() const override { return 0; }
  void AddCycles(uint64_t) override {}
  uint64_t instructions() const override { return 0; }
};

}  // namespace ember::sim

#endif  // EMBER_SIM_INSTRUCTION_COUNT_MODEL_H_
