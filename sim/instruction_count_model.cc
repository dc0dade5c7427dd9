// Fallback cycle model: one cycle per instruction (see sim/instruction_count_model.h).
#include "sim/instruction_count_model.h"

#include <vector>

namespace ember::sim {

Status InstructionCountModel::Attach(Machine& machine) {
  machine_ = &machine;
  return machine.AddBlockHook([this](uint32_t address, uint32_t size) {
    auto it = block_counts_.find(address);
    uint32_t n = it != block_counts_.end() ? it->second : CountInstructions(address, size);
    instructions_ += n;
  });
}

uint32_t InstructionCountModel::CountInstructions(uint32_t address, uint32_t size) {
  std::vector<uint16_t> halfwords((size + 1) / 2);
  uint32_t count = 0;
  if (machine_->ReadMemory(address, halfwords.data(), halfwords.size() * 2).ok()) {
    // A Thumb instruction is 32-bit when its first halfword starts 0b11101, 0b11110 or
    // 0b11111 (ARMv7-M ARM A5.1).
    for (size_t i = 0; i < halfwords.size(); ++i) {
      uint16_t top = halfwords[i] >> 11;
      if (top == 0x1d || top == 0x1e || top == 0x1f) ++i;
      ++count;
    }
  } else {
    count = (size + 1) / 2;
  }
  block_counts_[address] = count;
  return count;
}

}  // namespace ember::sim
