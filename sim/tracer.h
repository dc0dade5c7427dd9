// Tracer: prints every executed block with its Capstone disassembly (`ember sim --trace`).
// Each block entry prints "block 0x08000124 main+0x4 (6 bytes)" followed by one line per
// instruction of the block. Decoding is cached per block. This installs a block hook, so it must be
// attached before the run.
#ifndef EMBER_SIM_TRACER_H_
#define EMBER_SIM_TRACER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "sim/elf_image.h"
#include "sim/machine.h"

namespace ember::sim {

class Tracer {
 public:
  Tracer(FILE* out, const ElfImage* image) : out_(out), image_(image) {}
  ~Tracer();
  Status Attach(Machine& machine);

 private:
  void OnBlock(uint32_t address, uint32_t size);

  FILE* out_;
  const ElfImage* image_;
  Machine* machine_ = nullptr;
  size_t csh_ = 0;
  std::unordered_map<uint32_t, std::string> listings_;
};

}  // namespace ember::sim

#endif  // EMBER_SIM_TRACER_H_
