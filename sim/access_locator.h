// LocateAccess: finds the instruction that made a faulting data access when Unicorn only
// reports the start of the translated block as the PC (Unicorn 2.0.1 does this for
// protection faults, e.g. a store to flash). The registers Unicorn shows at that point are
// current (only the PC is stale), so each load/store of the block (decoded with Capstone from
// the block start, up to its first branch) is checked: the one whose effective address
// computed from the current registers is `address` is the faulting instruction.
#ifndef EMBER_SIM_ACCESS_LOCATOR_H_
#define EMBER_SIM_ACCESS_LOCATOR_H_

#include <cstdint>
#include <optional>

#include "sim/machine.h"

namespace ember::sim {

// Returns the address of the load (is_write false) or store (is_write true) instruction at or
// after `block_start` that accesses `address`, or nothing if no instruction matches.
std::optional<uint32_t> LocateAccess(const Machine& machine, uint32_t block_start, uint32_t address,
                                     bool is_write);

}  // namespace ember::sim

#endif  // EMBER_SIM_ACCESS_LOCATOR_H_
