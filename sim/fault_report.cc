// Fault reports (see sim/fault_report.h).
#include "sim/fault_report.h"

#include <fmt/format.h>

namespace ember::sim {

std::string FormatFaultReport(const Fault& fault, const ElfImage& image, const Machine& machine) {
  const BoardConfig& board = machine.board();
  std::string out = fmt::format("fault: {}\n", FaultKindName(fault.kind));
  out += fmt::format("  pc       0x{:08x}  {}\n", fault.pc, image.Symbolize(fault.pc));
  if (fault.has_address) {
    const MemoryRegion* m = board.FindMemory(fault.address);
    std::string where =
        m ? fmt::format("in {} ({}{}{})", m->name, m->readable ? "r" : "-", m->writable ? "w" : "-",
                        m->executable ? "x" : "-")
          : fmt::format("outside every memory of {}: {}", board.id, board.DescribeMemories());
    std::string sym = image.Symbolize(fault.address);
    if (sym.rfind("0x", 0) == 0 || sym.back() == '?') sym.clear();
    out += fmt::format("  address  0x{:08x}  {}{}{}\n", fault.address, sym, sym.empty() ? "" : " ",
                       where);
  }
  if (!fault.detail.empty()) out += fmt::format("  detail   {}\n", fault.detail);
  auto lr = machine.ReadReg(Reg::kLr);
  if (lr.ok()) out += fmt::format("  lr       0x{:08x}  {}\n", *lr, image.Symbolize(*lr & ~1u));
  static constexpr Reg kRegs[] = {Reg::kR0,  Reg::kR1,  Reg::kR2,  Reg::kR3, Reg::kR4,
                                  Reg::kR5,  Reg::kR6,  Reg::kR7,  Reg::kR8, Reg::kR9,
                                  Reg::kR10, Reg::kR11, Reg::kR12, Reg::kSp};
  static constexpr const char* kNames[] = {"r0", "r1", "r2", "r3",  "r4",  "r5",  "r6",
                                           "r7", "r8", "r9", "r10", "r11", "r12", "sp"};
  for (size_t i = 0; i < 14; ++i) {
    auto v = machine.ReadReg(kRegs[i]);
    if (!v.ok()) continue;
    out += fmt::format("{}{:>3}=0x{:08x}", i % 7 == 0 ? "  " : " ", kNames[i], *v);
    if (i % 7 == 6) out += "\n";
  }
  return out;
}

}  // namespace ember::sim
