// Human-readable reports of how a run ended badly (fault, budget), with symbols.
#ifndef EMBER_SIM_FAULT_REPORT_H_
#define EMBER_SIM_FAULT_REPORT_H_

#include <string>

#include "sim/elf_image.h"
#include "sim/machine.h"

namespace ember::sim {

// Multi-line report for a kFault stop, e.g.
//   fault: read from unmapped address
//     pc       0x080001a6  read_unmapped+0x6
//     address  0x30000000  (outside every memory of nucleo_f103rb: flash 0x08000000-...)
//     detail   4-byte read
//     lr       0x08000213  main+0x1f
//     r0-r3    ...
// Registers are read from the machine (their values at the stop).
std::string FormatFaultReport(const Fault& fault, const ElfImage& image, const Machine& machine);

}  // namespace ember::sim

#endif  // EMBER_SIM_FAULT_REPORT_H_
