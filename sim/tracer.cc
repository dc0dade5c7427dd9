// Execution trace with Capstone disassembly (see sim/tracer.h).
#include "sim/tracer.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <vector>

namespace ember::sim {

Tracer::~Tracer() {
  if (csh_) {
    csh handle = csh_;
    cs_close(&handle);
  }
}

Status Tracer::Attach(Machine& machine) {
  machine_ = &machine;
  csh handle = 0;
  if (cs_open(CS_ARCH_ARM, static_cast<cs_mode>(CS_MODE_THUMB | CS_MODE_MCLASS), &handle) !=
      CS_ERR_OK) {
    return Status::Error("capstone: cannot open an ARM Thumb disassembler");
  }
  csh_ = handle;
  return machine.AddBlockHook([this](uint32_t address, uint32_t size) { OnBlock(address, size); });
}

void Tracer::OnBlock(uint32_t address, uint32_t size) {
  auto it = listings_.find(address);
  if (it == listings_.end()) {
    std::string text;
    std::vector<uint8_t> bytes(size);
    if (size > 0 && machine_->ReadMemory(address, bytes.data(), size).ok()) {
      cs_insn* insn = nullptr;
      size_t n = cs_disasm(static_cast<csh>(csh_), bytes.data(), size, address, 0, &insn);
      for (size_t i = 0; i < n; ++i) {
        text += fmt::format("  0x{:08x}  {:<8} {}\n", insn[i].address, insn[i].mnemonic,
                            insn[i].op_str);
      }
      if (n) cs_free(insn, n);
    }
    it = listings_.emplace(address, std::move(text)).first;
  }
  std::string head = fmt::format("block 0x{:08x} {} ({} bytes)\n", address,
                                 image_ ? image_->Symbolize(address) : "", size);
  std::fputs(head.c_str(), out_);
  std::fputs(it->second.c_str(), out_);
}

}  // namespace ember::sim
