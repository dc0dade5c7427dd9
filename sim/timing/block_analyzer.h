// BlockAnalyzer: decodes the bytes of one translated basic block with Capstone (ARM,
// Thumb + M-class) and prices it with the core's static cost rules (core_costs.h).
// Used once per distinct (address, size) block; the cycle model caches the result.
#ifndef EMBER_SIM_TIMING_BLOCK_ANALYZER_H_
#define EMBER_SIM_TIMING_BLOCK_ANALYZER_H_

#include <capstone/capstone.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/status.h"
#include "sim/timing/core_costs.h"
#include "sim/timing/insn_decode.h"

namespace ember::sim::timing {

class BlockAnalyzer {
 public:
  static Result<std::unique_ptr<BlockAnalyzer>> Create(const CoreTiming& timing);
  ~BlockAnalyzer();
  BlockAnalyzer(const BlockAnalyzer&) = delete;
  BlockAnalyzer& operator=(const BlockAnalyzer&) = delete;

  // Decodes `size` bytes of Thumb code at `address`. Undecodable halfwords become
  // OpClass::kUnknown entries of 2 bytes, so the result always covers the whole range.
  void Decode(uint32_t address, const uint8_t* bytes, size_t size, std::vector<DecodedInsn>* out);

  // Decode + CostBlock. The decoded instructions stay available in last_decoded() until
  // the next Decode/Analyze call (so a caller needs no second Capstone pass).
  BlockCost Analyze(uint32_t address, const uint8_t* bytes, size_t size,
                    const HookedPredicate& hooked);
  const std::vector<DecodedInsn>& last_decoded() const { return scratch_; }

  const CoreTiming& timing() const { return timing_; }

 private:
  explicit BlockAnalyzer(const CoreTiming& timing) : timing_(timing) {}
  Status Open();
  void Close();

  CoreTiming timing_;
  csh handle_ = 0;
  cs_insn* insn_ = nullptr;
  std::vector<DecodedInsn> scratch_;
  bool it_pending_ = false;  // the last decode may have left IT state in the handle
};

}  // namespace ember::sim::timing

#endif  // EMBER_SIM_TIMING_BLOCK_ANALYZER_H_
